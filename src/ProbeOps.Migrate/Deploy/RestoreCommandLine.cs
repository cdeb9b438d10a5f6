using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// The command printed after a failed deploy that puts its backup back. It names the database it
/// restores, so that, run from any directory with any environment, it cannot restore onto another
/// database. It runs in the deploy's environment, so the restore's audit row names it. The password is masked (<c>***</c>): <see cref="PasswordMasked"/> says the user puts it
/// back in before running the command. The rest (config file, client programs, history table) is what
/// this deploy used.
/// </summary>
/// <param name="Text">The command line, quoted for a POSIX shell.</param>
/// <param name="PasswordMasked">Whether the database setting in it had a password, now <c>***</c>.</param>
public sealed record RestoreCommandLine(string Text, bool PasswordMasked)
{
    /// <summary>What to do before running a command whose password is masked.</summary>
    public const string PasswordNote = "put the database password in place of *** before running it";

    public static RestoreCommandLine For(MigrateSettings settings, DatabaseTarget target, string backupPath)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(target);
        var command = new List<string>
        {
            "probeops-migrate", "restore", ShellQuote(backupPath),
            "--database", ShellQuote(target.AbsoluteDisplay),
            "--confirm", ShellQuote(target.DatabaseName),
        };
        AddIfSet(command, "--config", settings.ConfigFile);
        AddIfSet(command, "--env", settings.Environment);
        AddIfSet(command, "--pg-bin-dir", settings.PgBinDirectory);
        if (!string.Equals(settings.HistoryTable, HistoryTableName.DefaultTable, StringComparison.Ordinal))
        {
            AddIfSet(command, "--history-table", settings.HistoryTable);
        }

        AddIfSet(command, "--history-schema", settings.HistorySchema);

        return new RestoreCommandLine(string.Join(' ', command), target.PasswordMasked);
    }

    private static void AddIfSet(List<string> command, string flag, string? value)
    {
        if (value is not null)
        {
            command.AddRange([flag, ShellQuote(value)]);
        }
    }

    /// <summary>Single quotes for a POSIX shell; a quote inside becomes <c>'\''</c>.</summary>
    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
