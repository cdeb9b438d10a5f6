using System.CommandLine;
using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Cli;

/// <summary>Options every command accepts (SPEC §4). Declared once, shared by all commands.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Config { get; } = new("--config") { Description = "Config file (default: probeops-migrate.json in the current directory; env PROBEOPS_MIGRATE_CONFIG).", Recursive = true, HelpName = "FILE" };

    public Option<string?> Environment { get; } = new("--env") { Description = "Environment of the config file to use (its \"environments\" entry overrides the top-level settings; env PROBEOPS_ENV).", Recursive = true, HelpName = "NAME" };

    public Option<string?> Database { get; } = new("--database") { Description = "Database: postgres://user:pass@host:port/db, Host=...;Database=..., sqlite:PATH or sqlite::memory: (env DATABASE_URL).", Recursive = true, HelpName = "URL" };

    public Option<string?> Migrations { get; } = new("--migrations") { Description = "Migrations directory (default: migrations; env PROBEOPS_MIGRATIONS).", Recursive = true, HelpName = "DIR" };

    public Option<string?> BackupDir { get; } = new("--backup-dir") { Description = "Backup directory (default: backups).", Recursive = true, HelpName = "DIR" };

    public Option<string?> LogDir { get; } = new("--log-dir") { Description = "Deployment log directory (default: deployment_logs).", Recursive = true, HelpName = "DIR" };

    public Option<string?> HistoryTable { get; } = new("--history-table") { Description = "History table (default: probeops_schema_history; the audit log is <name>_audit).", Recursive = true, HelpName = "NAME" };

    public Option<string?> HistorySchema { get; } = new("--history-schema") { Description = "Schema of the history tables on PostgreSQL (default: public).", Recursive = true, HelpName = "NAME" };

    public Option<string[]> Placeholder { get; } = new("--placeholder") { Description = "A value for ${NAME} in the migrations (repeatable; wins over the config file's \"placeholders\").", Recursive = true, HelpName = "NAME=VALUE" };

    public Option<bool> Json { get; } = new("--json") { Description = "Write one machine-readable JSON document to stdout.", Recursive = true };

    public void AddTo(RootCommand root)
    {
        foreach (var option in new Option[] { Config, Environment, Database, Migrations, BackupDir, LogDir, HistoryTable, HistorySchema, Placeholder, Json })
        {
            root.Options.Add(option);
        }
    }

    public SettingsOverrides Overrides(ParseResult result, RunOptionSet? run = null) => new()
    {
        ConfigFile = result.GetValue(Config),
        Environment = result.GetValue(Environment),
        Database = result.GetValue(Database),
        MigrationsDirectory = result.GetValue(Migrations),
        BackupDirectory = result.GetValue(BackupDir),
        LogDirectory = result.GetValue(LogDir),
        HistoryTable = result.GetValue(HistoryTable),
        HistorySchema = result.GetValue(HistorySchema),
        Placeholders = result.GetValue(Placeholder) ?? [],
        WaitForLock = run is null ? null : result.GetValue(run.WaitForLock),
        LockTimeout = run is null ? null : result.GetValue(run.LockTimeout),
        StatementTimeout = run is null ? null : result.GetValue(run.StatementTimeout),
    };
}

/// <summary>Options of the commands that change a database under the migration lock.</summary>
public sealed class RunOptionSet
{
    public Option<string?> WaitForLock { get; } = new("--wait-for-lock") { Description = "How long to wait for another run's migration lock before exit 7 (default 60s).", HelpName = "DURATION" };

    public Option<string?> LockTimeout { get; } = new("--lock-timeout") { Description = "PostgreSQL lock_timeout for migration statements; retried with backoff (default 5s, 0 = none).", HelpName = "DURATION" };

    public Option<string?> StatementTimeout { get; } = new("--statement-timeout") { Description = "PostgreSQL statement_timeout for migration statements (default 30m, 0 = none).", HelpName = "DURATION" };

    public void AddTo(Command command)
    {
        command.Options.Add(WaitForLock);
        command.Options.Add(LockTimeout);
        command.Options.Add(StatementTimeout);
    }
}
