namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>The engines that speak PostgreSQL's protocol and differ in what the tool relies on (docs/distributed.md).</summary>
public enum PostgreSqlFlavour
{
    PostgreSql,
    Citus,
    CockroachDb,
    YugabyteDb,
}

/// <summary>What the server said about itself on connect.</summary>
/// <param name="Version">The version as it reports it, e.g. <c>15.18</c>.</param>
/// <param name="VersionNumber">PostgreSQL's <c>server_version_num</c>, e.g. 150018.</param>
/// <param name="Flavour">Which engine answers.</param>
/// <param name="Capabilities">What this server can do, as probed: the provider's declared set less what it lacks.</param>
public sealed record PostgreSqlServer(string Version, int VersionNumber, PostgreSqlFlavour Flavour, ProviderCapabilities Capabilities)
{
    /// <summary>The engine's name for messages: "PostgreSQL 15.18", "CockroachDB".</summary>
    public string Describe() => Flavour switch
    {
        PostgreSqlFlavour.Citus => $"Citus on PostgreSQL {Version}",
        PostgreSqlFlavour.CockroachDb => "CockroachDB",
        PostgreSqlFlavour.YugabyteDb => "YugabyteDB",
        _ => $"PostgreSQL {Version}",
    };
}

/// <summary>
/// Asks a server on connect which engine it is and what it supports, so the tool plans around the answer
/// (docs/decisions/0005-provider-seam.md): the flavour from <c>version()</c> and the Citus extension, working
/// advisory locks by taking and releasing one, transactional DDL and <c>CONCURRENTLY</c> from the engine's
/// documented behaviour and settings. Only PostgreSQL is tested here; the other rules follow docs/distributed.md.
/// </summary>
internal static class PostgreSqlServerProbe
{
    /// <summary>A key of its own, so the probe never touches a migration lock.</summary>
    private static readonly long ProbeKey = PostgreSqlLock.KeyFor("probeops-migrate", "capability-probe");

    public static async Task<PostgreSqlServer> ProbeAsync(PostgreSqlExecutor executor, ProviderCapabilities declared, CancellationToken cancellationToken)
    {
        var (banner, version, number, citus, ybDdl) = await executor.QuerySingleAsync(
            """
            SELECT version(), current_setting('server_version'), current_setting('server_version_num')::int,
                   EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus'),
                   coalesce(current_setting('yb_ddl_transaction_block_enabled', true), '')
            """,
            r => (r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetBoolean(3), r.GetString(4)),
            cancellationToken);
        var flavour = FlavourOf(banner, citus);

        // Distributions append their build ("15.14 (Debian 15.14-1.pgdg120+1)"): keep the version itself.
        var space = version.IndexOf(' ', StringComparison.Ordinal);
        var shortVersion = space > 0 ? version[..space] : version;
        var capabilities = declared with
        {
            AdvisoryLocks = declared.AdvisoryLocks && await AdvisoryLocksWorkAsync(executor, flavour, cancellationToken),
            TransactionalDdl = declared.TransactionalDdl && TransactionalDdl(flavour, ybDdl),
            ConcurrentIndexes = declared.ConcurrentIndexes && flavour != PostgreSqlFlavour.CockroachDb,
        };
        return new PostgreSqlServer(shortVersion, number, flavour, capabilities);
    }

    internal static PostgreSqlFlavour FlavourOf(string banner, bool citusInstalled) =>
        banner.Contains("CockroachDB", StringComparison.OrdinalIgnoreCase) ? PostgreSqlFlavour.CockroachDb
        : banner.Contains("-YB-", StringComparison.Ordinal) ? PostgreSqlFlavour.YugabyteDb
        : citusInstalled ? PostgreSqlFlavour.Citus
        : PostgreSqlFlavour.PostgreSql;

    /// <summary>
    /// CockroachDB's advisory lock functions are stubs that always succeed: they cannot be trusted, so they
    /// are not tried. Elsewhere one is taken and released: YugabyteDB refuses them unless enabled.
    /// </summary>
    private static async Task<bool> AdvisoryLocksWorkAsync(PostgreSqlExecutor executor, PostgreSqlFlavour flavour, CancellationToken cancellationToken)
    {
        if (flavour == PostgreSqlFlavour.CockroachDb)
        {
            return false;
        }

        try
        {
            // One round trip; CASE keeps the order: unlock only what was taken.
            await executor.RunAsync("SELECT CASE WHEN pg_try_advisory_lock($1) THEN pg_advisory_unlock($1) ELSE true END", cancellationToken, ProbeKey);
            return true;
        }
        catch (StatementFailedException e) when (!e.IsConnectionLost)
        {
            return false;
        }
    }

    /// <summary>CockroachDB runs DDL in a transaction without atomicity; YugabyteDB only with transactional DDL switched on.</summary>
    private static bool TransactionalDdl(PostgreSqlFlavour flavour, string ybSetting) => flavour switch
    {
        PostgreSqlFlavour.CockroachDb => false,
        PostgreSqlFlavour.YugabyteDb => ybSetting is "on" or "true",
        _ => true,
    };
}
