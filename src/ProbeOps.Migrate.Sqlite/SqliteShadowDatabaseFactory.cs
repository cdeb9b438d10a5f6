namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>Shadow databases for SQLite: in memory, gone when their one connection closes.</summary>
internal sealed class SqliteShadowDatabaseFactory(ProviderCapabilities capabilities, TimeProvider time) : IShadowDatabaseFactory
{
    public async Task<IShadowDatabase> CreateShadowAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        var target = SqliteConnectionSettings.TryParse(SqliteConnectionSettings.Scheme + SqliteConnectionSettings.MemoryDataSource)!;
        var shadow = await SqliteSession.OpenAsync(target, options, capabilities, time, cancellationToken);
        return new SqliteShadowDatabase(shadow);
    }

    /// <summary>An in-memory database: it goes when its one connection closes.</summary>
    private sealed class SqliteShadowDatabase(SqliteSession shadow) : IShadowDatabase
    {
        public IDatabaseSession Session => shadow;

        public string Description => "an in-memory SQLite database";

        public string? CleanupProblem => null;

        public ValueTask DisposeAsync() => shadow.DisposeAsync();
    }
}
