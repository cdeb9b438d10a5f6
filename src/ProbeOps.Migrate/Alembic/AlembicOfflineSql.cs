using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ProbeOps.Migrate.Alembic;

/// <summary>What Alembic's offline mode wrote for each revision, one direction.</summary>
/// <param name="Sql">Revision id → its SQL, with Alembic's own bookkeeping left out.</param>
/// <param name="FailedAt">The revision whose script failed, when the run stopped there; the revisions after it are missing.</param>
/// <param name="Error">Alembic's last line of error output, when it failed.</param>
public sealed record OfflineSql(IReadOnlyDictionary<string, RevisionSql> Sql, string? FailedAt, string? Error);

/// <summary>One revision's SQL from Alembic's offline mode.</summary>
/// <param name="Text">The statements, each followed by a blank line as Alembic wrote them; empty when it wrote none.</param>
/// <param name="OutsideTransaction">
/// Alembic ended its transaction before these statements and began a new one after them (an
/// <c>autocommit_block</c>, for <c>CREATE INDEX CONCURRENTLY</c>): the section runs outside a transaction.
/// </param>
public sealed record RevisionSql(string Text, bool OutsideTransaction);

/// <summary>
/// Runs Alembic's own offline mode as a process, once per direction (<c>upgrade heads --sql</c>,
/// <c>downgrade heads:base --sql</c>), and cuts its output into revisions at the
/// <c>-- Running upgrade A -> B</c> lines it writes before each one.
/// </summary>
public sealed partial class AlembicOfflineSql(string alembicCommand)
{
    public Task<OfflineSql> UpgradeAsync(string iniFile, CancellationToken cancellationToken) =>
        RunAsync(iniFile, ["upgrade", "heads", "--sql"], cancellationToken);

    public Task<OfflineSql> DowngradeAsync(string iniFile, CancellationToken cancellationToken) =>
        RunAsync(iniFile, ["downgrade", "heads:base", "--sql"], cancellationToken);

    private async Task<OfflineSql> RunAsync(string iniFile, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(alembicCommand)
        {
            WorkingDirectory = Path.GetDirectoryName(iniFile)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", iniFile, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception();
        }
        catch (Win32Exception)
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"Alembic is not installed (`{alembicCommand}` cannot be run): install it (Debian: apt-get install alembic) or pass --alembic PATH; it is needed only while importing.");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var split = Split(await stdout);
            if (process.ExitCode == 0)
            {
                return new OfflineSql(split.Sql, null, null);
            }

            // The revision being written when Alembic stopped may be cut short: it is not kept.
            if (split.Last is not null)
            {
                split.Sql.Remove(split.Last);
            }

            var error = LastLine(await stderr) ?? $"exit code {process.ExitCode}";
            return new OfflineSql(split.Sql, split.Last, error);
        }
    }

    private static string? LastLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);

    /// <summary>The SQL after each <c>-- Running</c> line, named by the revision it upgrades to (or downgrades from), and the last one named.</summary>
    internal static (Dictionary<string, RevisionSql> Sql, string? Last) Split(string output)
    {
        var sql = new Dictionary<string, RevisionSql>(StringComparer.Ordinal);
        var running = RunningPattern().Matches(output);
        for (var i = 0; i < running.Count; i++)
        {
            var start = running[i].Index + running[i].Length;
            var end = i + 1 < running.Count ? running[i + 1].Index : output.Length;
            sql[running[i].Groups["revision"].Value] = Revision(output[start..end]);
        }

        return (sql, running.Count == 0 ? null : running[^1].Groups["revision"].Value);
    }

    /// <summary>
    /// Alembic separates statements by a blank line: the paragraphs that keep its <c>alembic_version</c>
    /// table and its transaction (<c>BEGIN;</c>, <c>COMMIT;</c>) are dropped, the rest kept as written.
    /// </summary>
    internal static RevisionSql Revision(string text)
    {
        var paragraphs = text.ReplaceLineEndings("\n").Split("\n\n").Select(p => p.Trim('\n').TrimEnd()).Where(p => p.Length > 0).ToList();
        var commit = paragraphs.FindIndex(p => IsTransactionControl(p, "COMMIT"));
        var outside = commit >= 0 && paragraphs.FindIndex(commit + 1, p => IsTransactionControl(p, "BEGIN")) > commit;
        var kept = paragraphs.Where(p => !BookkeepingPattern().IsMatch(p));
        return new RevisionSql(string.Join("\n\n", kept), outside);
    }

    private static bool IsTransactionControl(string paragraph, string keyword) =>
        paragraph.TrimEnd(';', ' ').Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>-- Running upgrade A, B -> C</c> names C; <c>-- Running downgrade C -> A, B</c> names C.</summary>
    [GeneratedRegex(@"^-- Running (?:upgrade [^\n]*?-> (?<revision>[^\s,]+)|downgrade (?<revision>[^\s,]+) ->[^\n]*)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex RunningPattern();

    [GeneratedRegex(@"\A(?:(?:BEGIN|COMMIT)\s*;\s*\z|(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+TABLE|DROP\s+TABLE)\s+alembic_version\b)", RegexOptions.IgnoreCase)]
    private static partial Regex BookkeepingPattern();
}
