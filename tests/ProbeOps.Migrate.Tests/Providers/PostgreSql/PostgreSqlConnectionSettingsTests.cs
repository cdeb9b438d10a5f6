using Npgsql;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlConnectionSettingsTests
{
    private static (DatabaseTarget Target, NpgsqlConnectionStringBuilder Settings) Parse(string setting)
    {
        var target = PostgreSqlConnectionSettings.TryParse(setting);
        Assert.NotNull(target);
        return (target, new NpgsqlConnectionStringBuilder(target.ConnectionString));
    }

    private static MigrateException ParseFails(string setting)
    {
        var error = Assert.Throws<MigrateException>(() => PostgreSqlConnectionSettings.TryParse(setting));
        Assert.Equal(FailureKind.Usage, error.Kind);
        return error;
    }

    [Fact]
    public void Url_maps_every_part_to_npgsql_settings()
    {
        var (target, settings) = Parse("postgres://app:s3cret@db.example.com:6543/orders?sslmode=verify-full&application_name=billing");

        Assert.Equal("postgresql", target.Provider);
        Assert.Equal("db.example.com", settings.Host);
        Assert.Equal(6543, settings.Port);
        Assert.Equal("app", settings.Username);
        Assert.Equal("s3cret", settings.Password);
        Assert.Equal("orders", settings.Database);
        Assert.Equal(SslMode.VerifyFull, settings.SslMode);
        Assert.Equal("billing", settings.ApplicationName);
        Assert.Equal("orders", target.DatabaseName);
    }

    [Fact]
    public void Url_connections_are_never_pooled_or_multiplexed()
    {
        var (_, settings) = Parse("postgresql://app@localhost/orders?Pooling=true");

        Assert.False(settings.Pooling);
        Assert.False(settings.Multiplexing);
    }

    [Fact]
    public void Display_is_built_from_user_host_port_and_database_with_the_password_masked()
    {
        var (target, _) = Parse("postgres://app:s3cret@db.example.com:6543/orders?sslmode=require");

        Assert.Equal("postgres://app:***@db.example.com:6543/orders", target.Display);
        Assert.Equal(target.Display, target.ToString());
    }

    [Fact]
    public void Display_masks_a_password_given_as_a_query_parameter()
    {
        var (target, settings) = Parse("postgresql://app@host/db?password=s3cret&sslmode=disable");

        Assert.Equal("s3cret", settings.Password);
        Assert.Equal("postgres://app:***@host/db", target.Display);
    }

    [Fact]
    public void Display_of_a_plain_url_reads_as_the_url()
    {
        var (target, _) = Parse("POSTGRES://app@host/db");

        Assert.Equal("postgres://app@host/db", target.Display);
    }

    [Fact]
    public void Display_of_several_hosts_and_a_socket_directory_names_each()
    {
        Assert.Equal("postgres://app@primary:5432,standby:5433/db", Parse("postgres://app@primary:5432,standby:5433/db").Target.Display);
        Assert.Equal("postgres://app@[::1]:5433/db", Parse("postgres://app@[::1]:5433/db").Target.Display);
        Assert.Equal("postgres://%2Fvar%2Frun%2Fpostgresql/orders", Parse("postgres:///orders?host=%2Fvar%2Frun%2Fpostgresql").Target.Display);
    }

    [Fact]
    public void Url_parts_are_percent_decoded()
    {
        var (target, settings) = Parse("postgres://us%C3%A9r:p%40ss%3Aw%2Frd%25@host/my%20db");

        Assert.Equal("usér", settings.Username);
        Assert.Equal("p@ss:w/rd%", settings.Password);
        Assert.Equal("my db", settings.Database);
        Assert.Equal("my db", target.DatabaseName);
        Assert.Equal("postgres://us%C3%A9r:***@host/my%20db", target.Display);
    }

    [Fact]
    public void Encoded_and_raw_non_ascii_characters_mix_in_one_part()
    {
        var (_, settings) = Parse("postgres://app:%F0%9F%94%91k\u00e9y\U0001F600%21@host/db");

        Assert.Equal("\U0001F511k\u00e9y\U0001F600!", settings.Password);
    }

    [Fact]
    public void Unencoded_at_sign_and_slash_in_the_password_still_parse_and_are_masked()
    {
        var (target, settings) = Parse("postgres://app:p@ss/w0rd@host:5433/db");

        Assert.Equal("p@ss/w0rd", settings.Password);
        Assert.Equal("host", settings.Host);
        Assert.Equal(5433, settings.Port);
        Assert.Equal("db", settings.Database);
        Assert.Equal("postgres://app:***@host:5433/db", target.Display);
    }

    [Fact]
    public void An_at_sign_in_a_query_value_after_the_path_is_not_taken_for_user_info()
    {
        var (target, settings) = Parse("postgres://app@host/db?application_name=me@laptop");

        Assert.Equal("me@laptop", settings.ApplicationName);
        Assert.Equal("postgres://app@host/db", target.Display);
    }

    [Fact]
    public void Ipv6_hosts_are_read_from_brackets()
    {
        var (_, settings) = Parse("postgres://app@[::1]:5433/db");

        Assert.Equal("::1", settings.Host);
        Assert.Equal(5433, settings.Port);
    }

    [Fact]
    public void Several_hosts_become_an_npgsql_host_list()
    {
        var (_, settings) = Parse("postgres://app@primary:5432,standby:5433/db?target_session_attrs=read-write");

        Assert.Equal("primary:5432,standby:5433", settings.Host);
        Assert.Equal("read-write", settings.TargetSessionAttributes);
    }

    [Fact]
    public void Missing_parts_take_libpq_defaults()
    {
        var (target, settings) = Parse("postgres://app@/");

        Assert.Equal("localhost", settings.Host);
        Assert.Equal(5432, settings.Port);
        Assert.Null(settings.Database);
        Assert.Equal("app", target.DatabaseName);
    }

    [Fact]
    public void Query_parameters_can_name_host_port_database_and_user()
    {
        var (_, settings) = Parse("postgres:///?host=%2Fvar%2Frun%2Fpostgresql&port=5434&dbname=orders&user=app&connect_timeout=7");

        Assert.Equal("/var/run/postgresql", settings.Host);
        Assert.Equal(5434, settings.Port);
        Assert.Equal("orders", settings.Database);
        Assert.Equal("app", settings.Username);
        Assert.Equal(7, settings.Timeout);
    }

    [Theory]
    [InlineData("postgres://app@host:notaport/db", "port")]
    [InlineData("postgres://app@host:70000/db", "port")]
    [InlineData("postgres://app@host/db?sslmode=sometimes", "sslmode")]
    [InlineData("postgres://app@host/db?no_such_setting=1", "1st query parameter")]
    [InlineData("postgres://app@host/db?sslmod=require", "query parameter sslmod is not a PostgreSQL connection setting (did you mean sslmode?)")]
    [InlineData("postgres://app@host/db?sslmode", "value")]
    [InlineData("postgres://app@host/d%zzb", "%25")]
    [InlineData("postgres://app@[::1/db", "IPv6")]
    [InlineData("postgres://app@host/db#frag", "#")]
    [InlineData("postgres://app@host/db?connect_timeout=soon", "connect_timeout")]
    [InlineData("postgres://app@host/db?Port=5432&Frobnicate=1", "2nd query parameter")]
    public void Malformed_urls_are_usage_errors_that_say_what_is_wrong(string url, string hint)
    {
        var error = ParseFails(url);

        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_malformed_password_is_reported_without_showing_it()
    {
        var error = ParseFails("postgres://app:se%crets@host/db");

        Assert.Contains("password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("se%crets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keyword_strings_are_parsed_by_npgsql_and_forced_unpooled()
    {
        var (target, settings) = Parse("Host=db.internal;Port=5433;Database=orders;Username=app;Password='se;cret';Pooling=true");

        Assert.Equal("db.internal", settings.Host);
        Assert.Equal(5433, settings.Port);
        Assert.Equal("se;cret", settings.Password);
        Assert.False(settings.Pooling);
        Assert.Equal("orders", target.DatabaseName);
        Assert.Equal("postgres://app:***@db.internal:5433/orders", target.Display);
    }

    [Fact]
    public void Keyword_strings_with_server_and_pwd_synonyms_are_recognised_and_masked()
    {
        var (target, settings) = Parse("Server=db; User ID=app; PWD=\"x\"\"y\"; Database=orders");

        Assert.Equal("db", settings.Host);
        Assert.Equal("x\"y", settings.Password);
        Assert.Equal("postgres://app:***@db/orders", target.Display);
    }

    [Theory]
    [InlineData("Host=db;Username=app;PSW=s3cret-value;Database=orders")]
    [InlineData("host=db;user id=app;pwd=s3cret-value;database=orders")]
    [InlineData("Server=db;User ID=app;Password=s3cret-value;Database=orders;Search Path=app")]
    [InlineData("postgresql://app@db/orders?password=s3cret-value&sslmode=disable")]
    public void Every_spelling_of_a_password_is_left_out_of_the_display(string setting)
    {
        var (target, settings) = Parse(setting);

        Assert.Equal("s3cret-value", settings.Password);
        Assert.Equal("postgres://app:***@db/orders", target.Display);
    }

    [Fact]
    public void A_misspelled_key_is_named_with_a_suggestion_and_its_value_is_not_shown()
    {
        var error = ParseFails("Host=db;Passwrd=s3cret-value");

        Assert.Contains("passwrd", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("did you mean Password?", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Password=s3cret;Frobnicate=yes", "3rd key")]
    [InlineData("Host=db;Password=s3c;ret-value=x", "3rd key")]
    [InlineData("Host=db;Password=s3cret;Port=abc", "value of port")]
    [InlineData("Host=db;Password='s3cret", "Key=Value")]
    [InlineData("Host=db s3cret;Database=orders", "host")]
    public void Keyword_string_errors_say_which_part_is_wrong_without_a_value(string setting, string hint)
    {
        var error = ParseFails(setting);

        Assert.Contains(hint, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3c", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=db.internal port=5432 password=s3cret dbname=orders")]
    [InlineData("dbname=orders user=app password='s3 cret'")]
    public void Libpq_keyword_value_strings_are_refused_naming_the_accepted_forms(string setting)
    {
        var error = ParseFails(setting);

        Assert.Contains("libpq", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres://user:password@host:port/database", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("db.internal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://app:pa?s3cret@127.0.0.1:5432/db", "password", "`?` is `%3F`")]
    [InlineData("postgres://app:pa#s3cret@127.0.0.1:5432/db", "password", "`#` is `%23`")]
    [InlineData("postgres://app:pa/x?s3cret@127.0.0.1:5432/db", "password", "`?` is `%3F`")]
    [InlineData("postgres://app:p@a?s3cret@127.0.0.1/db", "password", "`?` is `%3F`")]
    [InlineData("postgres://ap?p:s3cret@127.0.0.1/db", "user name", "`?` is `%3F`")]
    [InlineData("postgres://app:p@s3cret?application_name=x@127.0.0.1/db", "password", "`?` is `%3F`")]
    public void An_unencoded_character_in_the_password_is_named_as_the_cause(string url, string part, string hint)
    {
        var error = ParseFails(url);

        Assert.Contains($"the {part} in the URL must be percent-encoded", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("port is not", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite:app.db")]
    [InlineData("sqlite::memory:")]
    [InlineData("Data Source=app.db")]
    [InlineData("mysql://app@host/db")]
    [InlineData("orders")]
    public void Settings_of_other_databases_are_not_claimed(string setting)
    {
        Assert.Null(PostgreSqlConnectionSettings.TryParse(setting));
    }

    [Fact]
    public void Provider_declares_postgresql_with_every_capability()
    {
        var provider = new PostgreSqlProvider();

        Assert.Equal("postgresql", provider.Name);
        Assert.Same(ProbeOps.Migrate.Sql.SqlDialects.PostgreSql, provider.Dialect);
        Assert.True(provider.Capabilities.TransactionalDdl);
        Assert.True(provider.Capabilities.AdvisoryLocks);
        Assert.True(provider.Capabilities.ConcurrentIndexes);
        Assert.True(provider.Capabilities.Schemas);
        Assert.True(provider.Capabilities.SessionTimeouts);
        Assert.True(provider.Capabilities.ServerProcess);
        Assert.True(provider.Capabilities.BatchStatements);
        Assert.True(provider.Capabilities.SchemaReading);
        Assert.True(provider.Capabilities.ShadowDatabases);
        Assert.NotNull(provider.TryParse("postgres://h/d"));
        Assert.Null(provider.TryParse("sqlite:x.db"));
    }

    [Fact]
    public void Session_settings_take_tool_defaults_unless_the_setting_names_them()
    {
        var options = new SessionOptions(new HistoryTableName(), TimeSpan.FromSeconds(2.5), 0, null, null, "deployer");

        var defaults = PostgreSqlSession.ConnectionSettings(PostgreSqlConnectionSettings.Parse("postgres://app@h/d"), options);
        Assert.Equal(3, defaults.Timeout);
        Assert.Equal(0, defaults.CommandTimeout);
        Assert.Equal("deployer", defaults.ApplicationName);
        Assert.True(defaults.IncludeErrorDetail);
        Assert.True(defaults.IncludeFailedBatchedCommand);

        var explicitOnes = PostgreSqlSession.ConnectionSettings(
            PostgreSqlConnectionSettings.Parse("postgres://app@h/d?connect_timeout=9&application_name=mine"),
            options);
        Assert.Equal(9, explicitOnes.Timeout);
        Assert.Equal("mine", explicitOnes.ApplicationName);
    }

    [Fact]
    public void Gss_encryption_is_off_unless_the_setting_asks_for_it()
    {
        var options = new SessionOptions(new HistoryTableName(), TimeSpan.FromSeconds(2), 0, null, null, "deployer");

        Assert.Equal(GssEncryptionMode.Disable, PostgreSqlSession.ConnectionSettings(PostgreSqlConnectionSettings.Parse("postgres://app@h/d"), options).GssEncryptionMode);
        Assert.Equal(GssEncryptionMode.Require, PostgreSqlSession.ConnectionSettings(PostgreSqlConnectionSettings.Parse("postgres://app@h/d?gssencmode=require"), options).GssEncryptionMode);
        Assert.Equal(GssEncryptionMode.Prefer, PostgreSqlSession.ConnectionSettings(PostgreSqlConnectionSettings.Parse("Host=h;Database=d;GSS Encryption Mode=Prefer"), options).GssEncryptionMode);
    }

    [Fact]
    public void Lock_key_is_stable_and_differs_per_history_table()
    {
        var key = PostgreSqlLock.KeyFor("public", "probeops_schema_history");

        // Pinned: a different key would let an old and a new version of the tool migrate at once.
        Assert.Equal(KnownDefaultKey, key);
        Assert.NotEqual(key, PostgreSqlLock.KeyFor("public", "other_history"));
        Assert.NotEqual(key, PostgreSqlLock.KeyFor("ops", "probeops_schema_history"));
    }

    private const long KnownDefaultKey = 147620374075551644;
}
