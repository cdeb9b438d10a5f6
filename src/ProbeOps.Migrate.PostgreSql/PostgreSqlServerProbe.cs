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
    private static readonly string ProbeKey = PostgreSqlLock.KeyFor("probeops-migrate", "capability-probe").ToString(System.Globalization.CultureInfo.InvariantCulture);

    private const string Identity = """
        SELECT version(), current_setting('server_version'), current_setting('server_version_num')::int,
               EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus'),
               coalesce(current_setting('yb_ddl_transaction_block_enabled', true), '')
        """;

    /// <summary>
    /// Runs the session's <paramref name="settings"/> and asks the server what it is, in one round trip. An advisory lock
    /// is taken and released in the same query (CASE keeps the order: only what was taken is released); a server that
    /// refuses advisory locks (YugabyteDB unless enabled) fails the whole batch, which then runs again without them.
    /// CockroachDB's advisory lock functions are stubs that always succeed, so its answer is not trusted.
    /// </summary>
    public static async Task<PostgreSqlServer> ProbeAsync(
        PostgreSqlExecutor executor, ProviderCapabilities declared, IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        static (string, string, int, bool, string) Read(Npgsql.NpgsqlDataReader r) => (r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetBoolean(3), r.GetString(4));
        (string Banner, string Version, int Number, bool Citus, string YbDdl) identity;
        bool advisoryLocks;
        try
        {
            identity = await executor.QuerySingleAfterAsync(
                settings, $"{Identity}, CASE WHEN pg_try_advisory_lock({ProbeKey}) THEN pg_advisory_unlock({ProbeKey}) ELSE true END", Read, cancellationToken);
            advisoryLocks = true;
        }
        catch (StatementFailedException e) when (!e.IsConnectionLost)
        {
            identity = await executor.QuerySingleAfterAsync(settings, Identity, Read, cancellationToken);
            advisoryLocks = false;
        }

        var flavour = FlavourOf(identity.Banner, identity.Citus);

        // Distributions append their build ("15.14 (Debian 15.14-1.pgdg120+1)"): keep the version itself.
        var space = identity.Version.IndexOf(' ', StringComparison.Ordinal);
        var shortVersion = space > 0 ? identity.Version[..space] : identity.Version;
        var capabilities = declared with
        {
            AdvisoryLocks = declared.AdvisoryLocks && advisoryLocks && flavour != PostgreSqlFlavour.CockroachDb,
            TransactionalDdl = declared.TransactionalDdl && TransactionalDdl(flavour, identity.YbDdl),
            ConcurrentIndexes = declared.ConcurrentIndexes && flavour != PostgreSqlFlavour.CockroachDb,
        };
        return new PostgreSqlServer(shortVersion, identity.Number, flavour, capabilities);
    }

    internal static PostgreSqlFlavour FlavourOf(string banner, bool citusInstalled) =>
        banner.Contains("CockroachDB", StringComparison.OrdinalIgnoreCase) ? PostgreSqlFlavour.CockroachDb
        : banner.Contains("-YB-", StringComparison.Ordinal) ? PostgreSqlFlavour.YugabyteDb
        : citusInstalled ? PostgreSqlFlavour.Citus
        : PostgreSqlFlavour.PostgreSql;

    /// <summary>CockroachDB runs DDL in a transaction without atomicity; YugabyteDB only with transactional DDL switched on.</summary>
    private static bool TransactionalDdl(PostgreSqlFlavour flavour, string ybSetting) => flavour switch
    {
        PostgreSqlFlavour.CockroachDb => false,
        PostgreSqlFlavour.YugabyteDb => ybSetting is "on" or "true",
        _ => true,
    };
}
