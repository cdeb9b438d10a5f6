using ProbeOps.Migrate.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public class SqliteConnectionSettingsTests
{
    private readonly SqliteProvider _provider = new();

    [Fact]
    public void Provider_declares_name_dialect_and_capabilities()
    {
        Assert.Equal("sqlite", _provider.Name);
        Assert.Same(ProbeOps.Migrate.Sql.SqlDialects.Sqlite, _provider.Dialect);
        Assert.True(_provider.Capabilities.TransactionalDdl);
        Assert.False(_provider.Capabilities.AdvisoryLocks);
        Assert.False(_provider.Capabilities.ConcurrentIndexes);
        Assert.False(_provider.Capabilities.Schemas);
        Assert.False(_provider.Capabilities.SessionTimeouts);
        Assert.False(_provider.Capabilities.ServerProcess);
        Assert.False(_provider.Capabilities.BatchStatements);
        Assert.True(_provider.Capabilities.SchemaReading);
        Assert.True(_provider.Capabilities.ShadowDatabases);
    }

    [Fact]
    public void Relative_path_resolves_against_the_current_directory()
    {
        var target = _provider.TryParse("sqlite:data/app.db")!;

        Assert.Equal("sqlite", target.Provider);
        Assert.Equal("sqlite:data/app.db", target.Display);
        Assert.Equal("app.db", target.DatabaseName);
        var settings = SqliteConnectionSettings.FromTarget(target);
        Assert.Equal(Path.GetFullPath("data/app.db"), settings.DataSource);
        Assert.False(settings.IsMemory);
        Assert.Equal(Path.GetFullPath("data/app.db") + ".migrate-lock", settings.LockFilePath);
    }

    [Fact]
    public void Absolute_path_is_kept_and_the_scheme_is_case_insensitive()
    {
        var path = Path.Combine(Path.GetTempPath(), "x", "prod.sqlite3");
        var target = _provider.TryParse("SQLite:" + path)!;

        Assert.Equal(path, SqliteConnectionSettings.FromTarget(target).DataSource);
        Assert.Equal("prod.sqlite3", target.DatabaseName);
    }

    [Fact]
    public void Connection_string_disables_pooling_and_creates_missing_files()
    {
        var target = _provider.TryParse("sqlite:app.db")!;

        Assert.Contains("Pooling=False", target.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Mode=ReadWriteCreate", target.ConnectionString, StringComparison.Ordinal);
        Assert.Equal("sqlite:app.db", target.ToString());
    }

    [Fact]
    public void Memory_setting_names_a_private_in_memory_database()
    {
        var target = _provider.TryParse("sqlite::memory:")!;

        Assert.Equal(":memory:", target.DatabaseName);
        Assert.Equal("sqlite::memory:", target.Display);
        var settings = SqliteConnectionSettings.FromTarget(target);
        Assert.True(settings.IsMemory);
        Assert.Null(settings.LockFilePath);
    }

    [Theory]
    [InlineData("postgres://user@host/db")]
    [InlineData("postgresql://host/db")]
    [InlineData("Host=localhost;Database=app")]
    [InlineData("Data Source=app.db")]
    [InlineData("app.db")]
    [InlineData("")]
    public void Settings_of_other_providers_are_not_claimed(string setting)
    {
        Assert.Null(_provider.TryParse(setting));
    }

    [Theory]
    [InlineData("sqlite:", "names no file")]
    [InlineData("sqlite:   ", "names no file")]
    [InlineData("sqlite://app.db", "ambiguous")]
    [InlineData("sqlite:///var/lib/app.db", "ambiguous")]
    [InlineData("sqlite:data/", "names a directory")]
    [InlineData("sqlite:app.db?password=s3cret", "'?'")]
    [InlineData("sqlite:app.db;Password=s3cret", "';'")]
    [InlineData("sqlite:app.db password=s3cret", "'='")]
    public void Malformed_sqlite_settings_are_usage_errors(string setting, string expected)
    {
        var error = Assert.Throws<MigrateException>(() => _provider.TryParse(setting));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_resolves_sqlite_settings_to_this_provider()
    {
        var registry = new ProbeOps.Migrate.Providers.ProviderRegistry([_provider]);

        var (provider, target) = registry.Resolve("sqlite:app.db");

        Assert.Same(_provider, provider);
        Assert.Equal("app.db", target.DatabaseName);
    }
}
