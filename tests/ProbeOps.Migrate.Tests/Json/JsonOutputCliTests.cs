using System.Text.Json;
using ProbeOps.Migrate.Cli;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Json;

/// <summary>
/// <c>--json</c> through the real process (docs/json.md): one document on stdout whose envelope agrees
/// with the exit code, whose fields are the documented ones, and whose text is not escaped needlessly.
/// </summary>
public sealed class JsonOutputCliTests : IDisposable
{
    private const string Message = "café + ‘x’ \"q\" <b>";
    private static readonly JsonDocs Docs = JsonDocs.Read();
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string?> _env = new() { ["DATABASE_URL"] = "sqlite:app.db" };

    public JsonOutputCliTests()
    {
        _dir.Write("migrations/20250101_create_users.sql", MigrationText.File(null, "CREATE TABLE users (id INTEGER PRIMARY KEY);", "DROP TABLE users;"));
        _dir.Write("migrations/20250102_add_teams.sql", MigrationText.File("20250101_create_users", "CREATE TABLE teams (id INTEGER);", "DROP TABLE teams;", Message));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_command_prints_one_document_with_the_documented_fields_and_its_exit_code()
    {
        await Succeeds("init", "init", "fresh");
        await Succeeds("validate", "validate");
        await Succeeds("lint", "lint");
        await Succeeds("heads", "heads");
        await Succeeds("history", "history");
        await Succeeds("show", "show", "head");
        await Succeeds("upgrade --sql", "upgrade", "--sql", "base:head");
        await Succeeds("preflight", "preflight");
        await Succeeds("upgrade", "upgrade", "+1");
        await Succeeds("current", "current");
        await Succeeds("status", "status");
        var deploy = await Succeeds("deploy", "deploy");
        await Succeeds("drift", "drift");
        await Succeeds("snapshot", "snapshot", "--output", "schema.json");
        var backup = await Succeeds("backup", "backup");
        await Succeeds("downgrade", "downgrade", "-1");
        await Succeeds("downgrade --sql", "downgrade", "--sql", "head:base");
        await Succeeds("stamp", "stamp", "head");
        _dir.Write("migrations/20250101_create_users.sql", MigrationText.File(null, "CREATE TABLE users (id INTEGER PRIMARY KEY); -- ids", "DROP TABLE users;"));
        await Succeeds("amend", "amend", "20250101_create_users", "--reason", "a comment");
        await Succeeds("restore", "restore", backup.GetProperty("path").GetString()!, "--confirm", "app.db");
        await Succeeds("reset", "reset", "--confirm", "app.db");
        _dir.Write("migrations/20250103_add_alerts.sql", MigrationText.File("20250101_create_users", "CREATE TABLE alerts (id INTEGER);"));
        await Succeeds("merge", "merge", "-m", "join");
        await Succeeds("new", "new", "add probes");

        // The deployment report file is the deploy's document.
        var report = JsonDocument.Parse(File.ReadAllText(deploy.GetProperty("logFiles")[1].GetString()!)).RootElement;
        Assert.Equal(Names(deploy), Names(report));
        Assert.Equal(deploy.GetProperty("deployId").GetString(), report.GetProperty("deployId").GetString());
    }

    [Fact]
    public async Task Commands_failing_with_a_result_keep_their_fields_and_add_the_error()
    {
        await Run("upgrade", "+1");
        var status = await Fails("status", 3, "invalidMigrations", "status", "--check");
        _dir.Write("migrations/20250103_empty.sql", MigrationText.File("20250102_add_teams", ""));
        var validate = await Fails("validate", 3, "invalidMigrations", "validate");

        Assert.Contains(validate.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "PM109");
        Assert.StartsWith("status check failed: ", status.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Failures_before_a_result_print_the_envelope_and_the_error_alone()
    {
        var flag = await Fails(null, 2, "usage", "status", "--dry-rn");
        var command = await Fails(null, 2, "usage", "upgarde");
        _dir.Write("migrations/20250103_empty.sql", MigrationText.File("20250102_add_teams", ""));
        var invalid = await Fails(null, 3, "invalidMigrations", "upgrade");
        File.Delete(_dir.Combine("migrations", "20250103_empty.sql"));
        var unreachable = await Fails(null, 4, "databaseUnreachable", "current", "--database", "postgres://app:s3cret-pw@127.0.0.1:1/app");

        Assert.Equal("status", flag.GetProperty("command").GetString());
        Assert.StartsWith("unknown option '--dry-rn' for status", flag.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, command.GetProperty("command").ValueKind);
        Assert.Contains("did you mean upgrade?", command.GetProperty("error").GetProperty("message").GetString());
        Assert.Contains(invalid.GetProperty("error").GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "PM109");
        Assert.DoesNotContain("s3cret-pw", unreachable.GetRawText());
    }

    [Fact]
    public async Task Plus_quotes_and_non_ascii_text_is_written_as_itself()
    {
        var history = await Run("history");

        Assert.Contains("\"message\": \"café + ‘x’ \\\"q\\\" <b>\"", history.Stdout);
        Assert.DoesNotContain("\\u", history.Stdout);
        var revision = JsonDocument.Parse(history.Stdout).RootElement.GetProperty("revisions").EnumerateArray().First();
        Assert.Equal(Message, revision.GetProperty("message").GetString());
    }

    [Fact]
    public void Docs_json_has_a_section_for_every_command_and_none_for_a_command_that_does_not_exist()
    {
        var providers = new ProviderRegistry([]);
        var context = new CliContext(new CliConsole(TextWriter.Null, TextWriter.Null, TextReader.Null, isTerminal: false), _ => null, _dir.Path, TimeProvider.System, providers);
        var commands = CliApp.Build(context).Subcommands.Select(c => c.Name).ToHashSet();
        var documented = Docs.Commands.Keys.Select(k => k.Split(' ')[0]).ToHashSet();

        Assert.Equal(["command", "error", "exitCode", "ok"], Docs.Envelope.Order(StringComparer.Ordinal));
        Assert.Empty(commands.Except(documented));
        Assert.Empty(documented.Except(commands));
    }

    /// <summary>Runs <paramref name="args"/> with <c>--json</c>; asserts exit 0, the envelope and the fields docs/json.md lists under <paramref name="documented"/>.</summary>
    private async Task<JsonElement> Succeeds(string documented, params string[] args)
    {
        var output = await Run(args);
        Assert.True(output.ExitCode == 0, output.ToString());
        var root = Envelope(output, args[0]);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal(Docs.Envelope.Union(Docs.Commands[documented]).Order(StringComparer.Ordinal), Names(root));
        return root;
    }

    /// <summary>
    /// Runs a failing command line; asserts its exit code, the error's shape, one <c>error:</c> line on stderr, and (for
    /// <paramref name="documented"/> null) a document that is the envelope alone.
    /// </summary>
    private async Task<JsonElement> Fails(string? documented, int exit, string kind, params string[] args)
    {
        var output = await Run(args);
        Assert.True(output.ExitCode == exit, output.ToString());
        var root = Envelope(output, documented);
        var error = root.GetProperty("error");
        Assert.Equal(kind, error.GetProperty("kind").GetString());
        Assert.Contains($"error: {error.GetProperty("message").GetString()}", output.Stderr);
        var expected = documented is null ? Docs.Envelope : Docs.Envelope.Union(Docs.Commands[documented]);
        Assert.Equal(expected.Order(StringComparer.Ordinal), Names(root));
        return root;
    }

    private static JsonElement Envelope(CliOutput output, string? command)
    {
        var root = JsonDocument.Parse(output.Stdout).RootElement;
        if (command is not null)
        {
            Assert.Equal(command, root.GetProperty("command").GetString());
        }

        Assert.Equal(output.ExitCode, root.GetProperty("exitCode").GetInt32());
        Assert.Equal(output.ExitCode == 0, root.GetProperty("ok").GetBoolean());
        return root;
    }

    private Task<CliOutput> Run(params string[] args) => CliProcess.RunAsync(_dir.Path, _env, [.. args, "--json"]);

    private static List<string> Names(JsonElement root) => root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
}
