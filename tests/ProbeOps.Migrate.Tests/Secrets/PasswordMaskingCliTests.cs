using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;

namespace ProbeOps.Migrate.Tests.Secrets;

/// <summary>SPEC §4 and §8 through the real process: what a user sees of a connection, and who may read the reports.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PasswordMaskingCliTests
{
    private const string Marker = "Hidden-Marker-731";

    [Fact]
    public async Task A_psw_password_shows_nowhere_in_deploy_output_json_or_reports()
    {
        await using var project = await DeployProject.CreateAsync();
        var admin = new NpgsqlConnectionStringBuilder(project.Database.Target.ConnectionString);
        var setting = $"Host={admin.Host};Port={admin.Port};Database={project.Database.Name};Username={admin.Username};PSW={project.Password}";
        var environment = new Dictionary<string, string?> { ["DATABASE_URL"] = setting };

        var deployed = await project.RunWithAsync(environment, "deploy");
        var again = await project.RunWithAsync(environment, "deploy", "--json");
        var refused = await project.RunWithAsync(
            new Dictionary<string, string?> { ["DATABASE_URL"] = setting.Replace(project.Password, Marker, StringComparison.Ordinal) }, "deploy");

        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(refused.ExitCode == 4, refused.ToString());
        var shown = $"postgres://{admin.Username}:***@{admin.Host}:{admin.Port}/{project.Database.Name}";
        Assert.Contains(shown, deployed.All, StringComparison.Ordinal);
        Assert.Contains(shown, again.Stdout, StringComparison.Ordinal);
        Assert.Contains(shown, refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, project.Logs(".md").Length);
        project.AssertNoPasswordLeaked();
        LeakScanner.AssertNowhere([Marker], refused, project.Dir.Path, "deploy with a wrong PSW");
    }

    [Theory]
    [InlineData("host=127.0.0.1 port=1 password=" + Marker + " dbname=app", "libpq keyword/value string")]
    [InlineData("sqlite:app.db?password=" + Marker, "holds a '?'")]
    [InlineData("sqlite:app.db;Password=" + Marker, "holds a ';'")]
    [InlineData("Host=127.0.0.1;Port=1;Passwrd=" + Marker, "passwrd is not a PostgreSQL connection setting (did you mean Password?)")]
    [InlineData("postgres://app@127.0.0.1:1/db?sslmode=" + Marker, "sslmode is not one of")]
    public async Task A_setting_that_does_not_parse_names_the_wrong_part_and_is_never_echoed(string setting, string expected)
    {
        using var dir = SqliteProject();
        var environment = new Dictionary<string, string?> { ["DATABASE_URL"] = setting };

        foreach (var args in new[] { new[] { "deploy" }, ["deploy", "--json"], ["status"], ["backup", "--json"] })
        {
            var output = await CliProcess.RunAsync(dir.Path, environment, args);

            Assert.True(output.ExitCode == 2, output.ToString());
            Assert.Contains(expected, output.Stderr, StringComparison.Ordinal);
            LeakScanner.AssertNowhere([Marker], output, dir.Path, string.Join(' ', args));
        }

        Assert.NotEmpty(Directory.GetFiles(dir.Combine("deployment_logs")));
    }

    [Theory]
    [InlineData("postgres://app:pa?" + Marker + "@127.0.0.1:1/db", "`?` is `%3F`")]
    [InlineData("postgres://app:pa#" + Marker + "@127.0.0.1:1/db", "`#` is `%23`")]
    [InlineData("postgres://app:pa/@" + Marker + "?x@127.0.0.1:1/db", "`?` is `%3F`")]
    public async Task An_unencoded_character_in_a_url_password_is_named_as_the_cause(string url, string expected)
    {
        using var dir = SqliteProject();

        var output = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = url }, "deploy");

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.Contains("the password in the URL must be percent-encoded; " + expected, output.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("port is not", output.Stderr, StringComparison.Ordinal);
        LeakScanner.AssertNowhere([Marker], output, dir.Path, "deploy");
    }

    [Fact]
    public async Task Deployment_logs_and_reports_are_readable_by_their_owner_alone()
    {
        using var dir = SqliteProject();

        var output = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" }, "deploy");

        Assert.True(output.ExitCode == 0, output.ToString());
        var files = Directory.GetFiles(dir.Combine("deployment_logs"));
        Assert.Equal([".json", ".log", ".md"], files.Select(Path.GetExtension).Order(StringComparer.Ordinal));
        Assert.All(files, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    private static TempDirectory SqliteProject()
    {
        var dir = new TempDirectory();
        dir.Write("migrations/20250101_items.sql", MigrationText.File(null, "CREATE TABLE items (id int PRIMARY KEY);", "DROP TABLE items;"));
        return dir;
    }
}
