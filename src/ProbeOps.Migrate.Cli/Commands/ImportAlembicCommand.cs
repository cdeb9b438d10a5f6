using System.CommandLine;
using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>import-alembic DIR</c>: an Alembic project's revisions as <c>.sql</c> files (SPEC §13).</summary>
public static class ImportAlembicCommand
{
    public static Command Create(CliContext context)
    {
        var project = new Argument<string>("DIR") { Description = "The Alembic project: the directory holding alembic.ini, or its versions directory." };
        var alembic = new Option<string>("--alembic")
        {
            Description = "The alembic command that writes the SQL (offline mode); needed only while importing.",
            DefaultValueFactory = _ => "alembic",
        };
        var command = new Command(
            "import-alembic",
            "Write one .sql revision per Alembic revision (same ids, parents, messages; SQL from Alembic's offline mode). Never overwrites a file.")
        {
            project, alembic,
        };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async token =>
        {
            var source = Path.GetFullPath(result.GetValue(project)!, context.WorkingDirectory);
            var imported = await context.CreateCommands(context.LoadSettings(result)).ImportAlembicAsync(source, result.GetValue(alembic)!, token);
            Write(context, result, imported);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static void Write(CliContext context, ParseResult result, AlembicImportResult imported)
    {
        if (context.IsJson(result))
        {
            var revisions = imported.Revisions
                .Select(r => new ImportedRevisionDocument(r.Revision, r.File, r.DownRevisions, r.Message, r.Source, r.Reversible))
                .ToList();
            context.WriteJson(
                result,
                new ImportAlembicDocument(imported.Project, imported.MigrationsDirectory, revisions, imported.Warnings),
                CliJsonContext.Default.ImportAlembicDocument);
            return;
        }

        foreach (var revision in imported.Revisions)
        {
            var parents = revision.DownRevisions.Count == 0 ? "none" : string.Join(", ", revision.DownRevisions);
            context.Console.Out.WriteLine($"created {ErrorRenderer.RelativePath(revision.File, context.WorkingDirectory)} (revision {revision.Revision}, down_revision: {parents})");
        }

        foreach (var warning in imported.Warnings)
        {
            context.Console.Error.WriteLine($"warning: {warning}");
        }

        context.Console.Out.WriteLine($"imported {imported.Revisions.Count} Alembic revisions; next: probeops-migrate validate, then deploy (a database at an Alembic revision is adopted)");
    }
}
