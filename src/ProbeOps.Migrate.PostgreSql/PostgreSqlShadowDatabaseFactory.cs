namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>Creates shadow databases on the server of a live session, through the provider's data sources.</summary>
internal sealed class PostgreSqlShadowDatabaseFactory(PostgreSqlSession live, PostgreSqlSessionContext context) : IShadowDatabaseFactory
{
    public async Task<IShadowDatabase> CreateShadowAsync(SessionOptions options, CancellationToken cancellationToken) =>
        await PostgreSqlShadowDatabase.CreateAsync(live, context, options, cancellationToken);
}
