using System.Text.Json.Nodes;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Environments;

/// <summary>How a config file's environments are read: generic overrides, <c>${NAME}</c>, disabled entries and errors.</summary>
public sealed class EnvironmentSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    private ConfigFile Write(string json) => ConfigFile.Read(_dir.Write("probeops-migrate.json", json), SettingsLoader.ConfigKeys);

    public static TheoryData<string> SettingKeys => [.. SettingsLoader.ConfigKeys];

    [Theory]
    [MemberData(nameof(SettingKeys))]
    public void Every_setting_is_overridable_per_environment_without_code_of_its_own(string key)
    {
        var config = new JsonObject { [key] = "top", ["environments"] = new JsonObject { ["staging"] = new JsonObject { [key] = "from-staging" } } };
        var file = Write(config.ToJsonString());

        Assert.Equal("from-staging", file.Select("staging", Variables(), "--env").Get(key));
        Assert.Equal("top", file.Select(null, Variables(), "--env").Get(key));
    }

    [Fact]
    public void An_environment_keeps_the_top_level_keys_it_does_not_set_and_an_object_merges_key_by_key()
    {
        var file = Write("""{ "logDir": "logs", "environments": { "qa": { "database": "sqlite:qa.db" } } }""");

        var qa = file.Select("qa", Variables(), "--env");

        Assert.Equal("logs", qa.Get("logDir"));
        Assert.Equal("sqlite:qa.db", qa.Get("database"));
        Assert.False(qa.Protected);
        Assert.Equal("qa", qa.Environment);
    }

    [Fact]
    public void Settings_loads_the_environment_resolving_its_paths_against_the_config_file()
    {
        _dir.Write("conf/probeops-migrate.json", """{ "environments": { "production": { "backupDir": "b", "protected": true, "lockTimeout": "2s" } } }""");
        var flags = new SettingsOverrides { ConfigFile = "conf/probeops-migrate.json" };

        var settings = SettingsLoader.Load(flags, Variables(("PROBEOPS_ENV", "production")), _dir.Path);

        Assert.Equal("production", settings.Environment);
        Assert.True(settings.Protected);
        Assert.Equal(_dir.Combine("conf", "b"), settings.BackupDirectory);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.LockTimeout);
        Assert.Equal(TimeSpan.FromSeconds(9), SettingsLoader.Load(flags with { LockTimeout = "9s" }, Variables(("PROBEOPS_ENV", "production")), _dir.Path).LockTimeout);
    }

    [Fact]
    public void Disabled_entries_and_comment_keys_are_ignored_wherever_they_are()
    {
        var file = Write("""{ "//": "note", "environments": { "//production": { "nonsense": 1 }, "dev": { "//": "x", "database": "sqlite:d.db" } } }""");

        Assert.Equal(["dev"], file.EnvironmentNames);
        var error = Assert.Throws<MigrateException>(() => file.Select("production", Variables(), "PROBEOPS_ENV"));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("Unknown environment 'production' (PROBEOPS_ENV)", error.Message);
        Assert.Contains("are dev.", error.Message);
    }

    [Theory]
    [InlineData("""{ "environments": { "qa": { "databse": "x" } } }""", "unknown key \"databse\" in environment qa")]
    [InlineData("""{ "environments": { "qa": { "protected": "yes" } } }""", "\"protected\" of environment qa must be true or false")]
    [InlineData("""{ "protected": true }""", "\"protected\" belongs inside an environment")]
    [InlineData("""{ "environments": { "q a": {} } }""", "the environment name \"q a\" is not valid")]
    [InlineData("""{ "environments": [] }""", "\"environments\" must be an object")]
    public void A_wrong_key_anywhere_is_a_usage_error_even_in_an_environment_not_selected(string json, string expected)
    {
        var error = Assert.Throws<MigrateException>(() => Write(json));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Variables_expand_only_in_the_selected_environment_and_a_missing_one_is_named_never_its_neighbours()
    {
        var file = Write("""{ "database": "postgres://u:${TOP_SECRET}@h/db", "environments": { "prod": { "database": "postgres://u:${PROD_PW}@h/db" } } }""");

        Assert.Equal("postgres://u:s3cret@h/db", file.Select("prod", Variables(("PROD_PW", "s3cret")), "--env").Get("database"));
        var error = Assert.Throws<MigrateException>(() => file.Select("prod", Variables(("TOP_SECRET", "t0p")), "--env").Get("database"));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("\"database\" of environment prod uses ${PROD_PW}", error.Message);
        Assert.DoesNotContain("t0p", error.Message);
    }

    [Theory]
    [InlineData("a${X}b${Y_2}", "1", "a1b1")]
    [InlineData("$${X} and ${X}", "1", "${X} and 1")]
    [InlineData("price $5, $ alone, $$ twice", "1", "price $5, $ alone, $$ twice")]
    [InlineData("${X}", "", "")]
    public void VariableExpander_replaces_references_and_keeps_escapes(string text, string x, string expected)
    {
        Assert.Equal(expected, VariableExpander.Expand(text, Variables(("X", x), ("Y_2", x)), "here"));
    }

    [Theory]
    [InlineData("pw${", "character 3")]
    [InlineData("pw${NAME", "character 3")]
    [InlineData("${1A}", "character 1")]
    [InlineData("${A-B}", "character 1")]
    public void VariableExpander_refuses_a_reference_that_does_not_close_naming_its_place_not_the_text(string text, string place)
    {
        var error = Assert.Throws<MigrateException>(() => VariableExpander.Expand(text, Variables(), "Config file f: \"database\""));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains(place, error.Message);
        Assert.DoesNotContain("pw", error.Message);
    }
}
