using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Commands;

/// <summary><c>init</c>.</summary>
public static class InitVerb
{
    /// <summary>What a project must not commit: the database file (and SQLite's journal files beside it), backups and logs.</summary>
    private static readonly string[] Ignored = ["app.db", "app.db-*", "backups/", "deployment_logs/"];

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
    /// migrations directory, and a <c>.gitignore</c> for the database file, backups and logs (an existing
    /// one gets the lines it lacks). What exists already is otherwise kept as it is.
    /// </summary>
    public static InitResult Run(string directory)
    {
        var root = Path.GetFullPath(directory);
        var config = Path.Combine(root, MigrateSettings.DefaultConfigFileName);
        var migrations = Path.Combine(root, "migrations");
        var created = new List<string>();
        var existing = new List<string>();
        var updated = new List<string>();
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

            WriteGitIgnore(Path.Combine(root, ".gitignore"), created, updated, existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"Cannot initialise {root}: {ex.Message}");
        }

        return new InitResult(config, migrations, created, existing) { Updated = updated };
    }

    private static void WriteGitIgnore(string path, List<string> created, List<string> updated, List<string> existing)
    {
        var present = File.Exists(path) ? File.ReadAllLines(path).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal) : null;
        var missing = Ignored.Where(line => present is null || !present.Contains(line)).ToList();
        if (missing.Count == 0)
        {
            existing.Add(path);
            return;
        }

        var block = "# probeops-migrate: the local database, backups and deployment logs\n" + string.Join("\n", missing) + "\n";
        if (present is null)
        {
            File.WriteAllText(path, block);
            created.Add(path);
            return;
        }

        var text = File.ReadAllText(path);
        File.AppendAllText(path, (text.Length == 0 || text.EndsWith('\n') ? "" : "\n") + block);
        updated.Add(path);
    }
}
