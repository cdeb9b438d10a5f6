using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Commands;

/// <summary><c>init</c>.</summary>
public static class InitVerb
{
    /// <summary>
    /// The config file <c>init</c> writes: SQLite at the top level and in <c>development</c>; <c>staging</c> and
    /// <c>production</c> disabled by their <c>//</c> (a key starting with <c>//</c> is a comment, so the file stays
    /// plain JSON), with their passwords read from the environment.
    /// </summary>
    public const string ScaffoldConfig = """
        {
          "//": "Top-level settings apply without an environment. Select one with --env NAME or PROBEOPS_ENV; its keys override these. Keys starting with // are ignored: remove the // of \"//staging\" to enable it. ${NAME} reads the environment variable NAME.",
          "database": "sqlite:app.db",
          "migrations": "migrations",
          "backupDir": "backups",
          "logDir": "deployment_logs",
          "environments": {
            "development": { "database": "sqlite:app.db" },
            "//staging": { "database": "postgres://app:${STAGING_DB_PASSWORD}@staging-db:5432/app" },
            "//production": { "database": "postgres://app:${PROD_DB_PASSWORD}@prod-db:5432/app", "protected": true, "lockTimeout": "2s" }
          }
        }

        """;

    /// <summary>
    /// Scaffolds <paramref name="directory"/>: a config file pointing at a SQLite database and an empty
    /// migrations directory. What exists already is kept as it is.
    /// </summary>
    public static InitResult Run(string directory)
    {
        var root = Path.GetFullPath(directory);
        var config = Path.Combine(root, MigrateSettings.DefaultConfigFileName);
        var migrations = Path.Combine(root, "migrations");
        var created = new List<string>();
        var existing = new List<string>();
        try
        {
            Directory.CreateDirectory(root);
            if (File.Exists(config))
            {
                existing.Add(config);
            }
            else
            {
                File.WriteAllText(config, ScaffoldConfig.ReplaceLineEndings("\n"));
                created.Add(config);
            }

            if (Directory.Exists(migrations))
            {
                existing.Add(migrations);
            }
            else
            {
                Directory.CreateDirectory(migrations);
                created.Add(migrations);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"Cannot initialise {root}: {ex.Message}");
        }

        return new InitResult(config, migrations, created, existing);
    }
}
