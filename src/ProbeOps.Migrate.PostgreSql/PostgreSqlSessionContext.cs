namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>What every session of one provider shares: its data sources, its capabilities and its clock.</summary>
internal sealed record PostgreSqlSessionContext(PostgreSqlDataSources Sources, ProviderCapabilities Capabilities, TimeProvider Time);
