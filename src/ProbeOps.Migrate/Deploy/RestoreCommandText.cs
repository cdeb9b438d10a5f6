using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>The command that puts a deploy's backup back, printed when the deploy failed after taking it.</summary>
public static class RestoreCommandText
{
    /// <summary>
    /// Runnable as printed from any directory. The database setting is part of it only when it holds
    /// no password; otherwise it comes from the same environment or config file as this deploy's.
    /// </summary>
    public static string For(MigrationContext context, string backupPath)
    {
        var settings = context.Settings;
        var target = context.Target;
        var command = new List<string> { "probeops-migrate", "restore", ShellQuote(backupPath), "--confirm", ShellQuote(target.DatabaseName) };
        if (settings.ConfigFile is not null)
        {
            command.AddRange(["--config", ShellQuote(settings.ConfigFile)]);
        }

        if (string.Equals(target.Display, settings.Database?.Trim(), StringComparison.Ordinal))
        {
            command.AddRange(["--database", ShellQuote(target.Display)]);
        }

        if (settings.PgBinDirectory is not null)
        {
            command.AddRange(["--pg-bin-dir", ShellQuote(settings.PgBinDirectory)]);
        }

        if (!string.Equals(settings.HistoryTable, HistoryTableName.DefaultTable, StringComparison.Ordinal))
        {
            command.AddRange(["--history-table", ShellQuote(settings.HistoryTable)]);
        }

        if (settings.HistorySchema is not null)
        {
            command.AddRange(["--history-schema", ShellQuote(settings.HistorySchema)]);
        }

        return string.Join(' ', command);
    }

    /// <summary>Single quotes for a POSIX shell; a quote inside becomes <c>'\''</c>.</summary>
    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
