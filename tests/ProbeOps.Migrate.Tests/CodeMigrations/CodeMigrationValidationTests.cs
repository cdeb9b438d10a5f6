using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.CodeMigrations;

/// <summary>A class is validated like a file: duplicate ids, unknown parents, a missing declaration.</summary>
public sealed class CodeMigrationValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ProbeOps.Migrate.Graph.ValidateResult Validate(params Code.CodeMigration[] code)
    {
        SampleFiles.Write(_dir, withChild: false);
        var commands = new Commands.MigrationCommands(
            new MigrateSettings { MigrationsDirectory = _dir.Combine("migrations"), CodeMigrations = Code.CodeMigrations.Of(code) },
            new ProviderRegistry([new PostgreSqlProvider(), new SqliteProvider()]));
        return commands.Validate();
    }

    [Fact]
    public void A_class_claiming_a_file_id_is_a_duplicate_naming_both()
    {
        var result = Validate(new ClaimsTheBase());

        var duplicate = Assert.Single(result.Errors, d => d.Code == DiagnosticCodes.DuplicateRevision);
        Assert.Contains("20250101_people.sql", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("20250101_people (C# ProbeOps.Migrate.Tests.CodeMigrations.ClaimsTheBase)", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_naming_an_unknown_parent_is_reported_without_the_command_line_hint()
    {
        var result = Validate(new Orphan());

        var missing = Assert.Single(result.Errors, d => d.Code == DiagnosticCodes.MissingParent);
        Assert.Equal("down_revision names unknown revision '20250101_nobody'", missing.Message);
        Assert.Equal("20250102_orphan (C# ProbeOps.Migrate.Tests.CodeMigrations.Orphan)", missing.File);
    }

    [Fact]
    public void A_class_without_its_attribute_is_an_error_and_a_valid_class_joins_the_graph()
    {
        var result = Validate(new Undeclared(), new Note());

        var shape = Assert.Single(result.Errors);
        Assert.Equal(DiagnosticCodes.CodeMigrationShape, shape.Code);
        Assert.Contains("ProbeOps.Migrate.Tests.CodeMigrations.Undeclared has no [Revision(", shape.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);

        var valid = Validate(new Note());
        Assert.True(valid.IsValid);
        Assert.Equal(["20250101_people", "20250102_note"], valid.Graph!.TopologicalOrder.Select(r => r.Id));
        Assert.Equal(2, valid.ValidFileCount);
    }
}
