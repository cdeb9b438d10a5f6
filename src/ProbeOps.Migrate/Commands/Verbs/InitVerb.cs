using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Commands;

/// <summary><c>init</c>.</summary>
public static class InitVerb
{
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
                File.WriteAllText(config, """
                    {
                      "database": "sqlite:app.db",
                      "migrations": "migrations",
                      "backupDir": "backups",
                      "logDir": "deployment_logs"
                    }

                    """.ReplaceLineEndings("\n"));
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
