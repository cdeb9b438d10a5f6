using ProbeOps.Migrate.Code;

namespace ProbeOps.Migrate.Tests.CodeMigrations;

/// <summary>
/// The one public code migration of the test assembly, so <see cref="Code.CodeMigrations.FromAssembly"/> finds exactly
/// it: adds <c>people.display</c> (through the context and through a raw ADO.NET command in the run's transaction),
/// then fills it in batches of 100. While <c>fail_switch</c> holds a row, the batch after the 200th row throws.
/// </summary>
[Revision(Id, SampleFiles.Base, Message = "Fill display names")]
public sealed class FillDisplayNames : CodeMigration
{
    public const string Id = "20250102_fill_display_names";

    public override async Task UpgradeAsync(CodeMigrationContext context)
    {
        await context.ExecuteAsync("ALTER TABLE people ADD COLUMN display TEXT");
        await using var command = context.Connection.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = "INSERT INTO upgrade_runs (revision) VALUES (@revision)";
        var revision = command.CreateParameter();
        revision.ParameterName = "revision";
        revision.Value = context.Revision;
        command.Parameters.Add(revision);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }

    public override async Task DowngradeAsync(CodeMigrationContext context) =>
        await context.ExecuteAsync("ALTER TABLE people DROP COLUMN display");

    public override IReadOnlyList<CodeBackfill> Backfills { get; } = [new("fill display names in batches of 100", FillBatchAsync)];

    private static async Task<long> FillBatchAsync(CodeMigrationContext context)
    {
        var rows = await context.ExecuteAsync(
            "UPDATE people SET display = upper(name) WHERE id IN (SELECT id FROM people WHERE display IS NULL ORDER BY id LIMIT 100)");
        await using var command = context.Connection.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = "SELECT count(*) FROM fail_switch WHERE (SELECT count(*) FROM people WHERE display IS NOT NULL) > 200";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(context.CancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            throw new InvalidOperationException("the fail switch is on");
        }

        return rows;
    }
}

/// <summary>Creates a table, then throws: the whole run must roll back.</summary>
[Revision("20250102_boom", SampleFiles.Base)]
internal sealed class Boom : CodeMigration
{
    public override async Task UpgradeAsync(CodeMigrationContext context)
    {
        await context.ExecuteAsync("CREATE TABLE boom_made (id INTEGER)");
        throw new InvalidOperationException("the boom migration refuses");
    }
}

/// <summary>No downgrade: irreversible.</summary>
[Revision("20250102_note", SampleFiles.Base)]
internal sealed class Note : CodeMigration
{
    public override async Task UpgradeAsync(CodeMigrationContext context) =>
        await context.ExecuteAsync("INSERT INTO upgrade_runs (revision) VALUES ('20250102_note')");
}

/// <summary>Claims the id of the base file.</summary>
[Revision(SampleFiles.Base)]
internal sealed class ClaimsTheBase : CodeMigration
{
    public override Task UpgradeAsync(CodeMigrationContext context) => Task.CompletedTask;
}

/// <summary>Names a parent that does not exist.</summary>
[Revision("20250102_orphan", "20250101_nobody")]
internal sealed class Orphan : CodeMigration
{
    public override Task UpgradeAsync(CodeMigrationContext context) => Task.CompletedTask;
}

/// <summary>Forgot its attribute.</summary>
internal sealed class Undeclared : CodeMigration
{
    public override Task UpgradeAsync(CodeMigrationContext context) => Task.CompletedTask;
}

/// <summary>The base file and a child of the code revision, as text.</summary>
public static class SampleFiles
{
    public const string Base = "20250101_people";
    public const string Child = "20250103_display_index";

    public static void Write(Cli.TempDirectory dir, bool withChild = true)
    {
        dir.Write($"migrations/{Base}.sql", Cli.MigrationText.File(null, """
            CREATE TABLE upgrade_runs (revision TEXT NOT NULL);
            CREATE TABLE fail_switch (one INTEGER);
            CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO people (id, name) SELECT i, 'person ' || i FROM n;
            """, "DROP TABLE people; DROP TABLE fail_switch; DROP TABLE upgrade_runs;"));
        if (withChild)
        {
            dir.Write($"migrations/{Child}.sql", Cli.MigrationText.File(FillDisplayNames.Id, "CREATE INDEX people_display ON people (display);", "DROP INDEX people_display;"));
        }
    }
}
