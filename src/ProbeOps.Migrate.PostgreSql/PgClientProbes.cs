using static ProbeOps.Migrate.Providers.PostgreSql.PostgreSqlClientTools;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>One client program as found: its path (null when nowhere) and the version it reported.</summary>
internal sealed record PgProbe(string Name, string? Path, PgVersion? Version, string Output);

/// <summary>
/// Where <c>pg_dump</c>, <c>pg_restore</c> and <c>psql</c> are and which versions they report, asked once
/// and shared by every check of the run. The three <c>--version</c> runs start together on the thread pool,
/// so they can answer while the connection to the server is still being made.
/// </summary>
internal sealed class PgClientProbes(string? binDirectory, string? pathVariable)
{
    /// <summary>How long <c>--version</c> may take before the program is taken for broken.</summary>
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private Task<PgProbe[]>? _probes;

    /// <summary>The probes of pg_dump, pg_restore and psql, in that order; started by the first call.</summary>
    public Task<PgProbe[]> GetAsync()
    {
        lock (_gate)
        {
            // Not the caller's token: the answers are shared, and each program has its own time limit.
            return _probes ??= Task.Run(() => Task.WhenAll(new[] { PgDump, PgRestore, Psql }.Select(ProbeAsync)));
        }
    }

    private async Task<PgProbe> ProbeAsync(string name)
    {
        var path = Find(name, binDirectory, pathVariable);
        if (path is null)
        {
            return new PgProbe(name, null, null, "");
        }

        using var timeout = new CancellationTokenSource(VersionTimeout);
        try
        {
            var result = await PgProcess.RunAsync(path, ["--version"], NoConnection(), timeout.Token);
            var output = result.Stdout.Count > 0 ? result.Stdout[0].Trim() : result.FirstErrorLine;
            return new PgProbe(name, path, result.ExitCode == 0 ? ParseVersion(output) : null, output);
        }
        catch (OperationCanceledException)
        {
            return new PgProbe(name, path, null, $"--version did not answer within {VersionTimeout.TotalSeconds:0} s");
        }
        catch (MigrateException ex)
        {
            return new PgProbe(name, path, null, ex.Message);
        }
    }
}
