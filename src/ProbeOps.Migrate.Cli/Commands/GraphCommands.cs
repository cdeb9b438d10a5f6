using System.CommandLine;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>heads</c>, <c>history</c> and <c>show</c>: reading the graph, no database needed.</summary>
public static class GraphCommands
{
    public static Command Heads(CliContext context)
    {
        var command = new Command("heads", "List the head revisions (revisions nothing builds on).");
        command.SetAction((result, cancellationToken) => context.RunAsync(result, _ =>
        {
            var heads = context.CreateCommands(context.LoadSettings(result)).Heads();
            if (context.IsJson(result))
            {
                return Task.FromResult(context.WriteJson(result, new HeadsDocument(RevisionDocument.All(heads)), CliJsonContext.Default.HeadsDocument));
            }

            WriteList(context, heads);
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }

    public static Command History(CliContext context)
    {
        var command = new Command("history", "List every revision, newest first, marking heads, branch points and merge points.");
        command.SetAction((result, cancellationToken) => context.RunAsync(result, _ =>
        {
            var history = context.CreateCommands(context.LoadSettings(result)).History();
            if (context.IsJson(result))
            {
                return Task.FromResult(context.WriteJson(result, new HistoryDocument(RevisionDocument.All(history)), CliJsonContext.Default.HistoryDocument));
            }

            WriteList(context, history);
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }

    public static Command Show(CliContext context)
    {
        var revision = new Argument<string>("REV") { Description = "A revision id, a unique prefix, head or a relative step." };
        var command = new Command("show", "Show one revision: its parents, children, file and SQL.") { revision };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, _ =>
        {
            var (info, file) = context.CreateCommands(context.LoadSettings(result)).Show(result.GetValue(revision)!);
            if (context.IsJson(result))
            {
                var document = new ShowDocument(RevisionDocument.From(info), file?.Checksum, file?.Upgrade.Sql, file?.Downgrade?.Sql);
                return Task.FromResult(context.WriteJson(result, document, CliJsonContext.Default.ShowDocument));
            }

            var output = context.Console.Out;
            output.WriteLine($"Revision: {info.Id}{Markers(info)}");
            output.WriteLine($"Parents:  {(info.Parents.Count == 0 ? "(none: base)" : string.Join(", ", info.Parents))}");
            output.WriteLine($"Children: {(info.Children.Count == 0 ? "(none: head)" : string.Join(", ", info.Children))}");
            if (info.Message is not null)
            {
                output.WriteLine($"Message:  {info.Message}");
            }

            if (file is not null)
            {
                output.WriteLine($"File:     {ErrorRenderer.RelativePath(file.Path, context.WorkingDirectory)}");
                output.WriteLine($"Checksum: {file.Checksum}");
                output.WriteLine();
                output.WriteLine($"-- migrate:upgrade{(file.Upgrade.Transactional ? "" : " transaction:false")}");
                output.WriteLine(file.Upgrade.Sql.TrimEnd());
                output.WriteLine();
                output.WriteLine(file.Downgrade is null
                    ? "-- (no downgrade: irreversible)"
                    : $"-- migrate:downgrade{(file.Downgrade.Transactional ? "" : " transaction:false")}\n{file.Downgrade.Sql.TrimEnd()}");
            }

            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }

    private static void WriteList(CliContext context, IReadOnlyList<RevisionInfo> revisions)
    {
        foreach (var revision in revisions)
        {
            var parents = revision.Parents.Count == 0 ? "<base>" : string.Join(", ", revision.Parents);
            context.Console.Out.WriteLine($"{parents} -> {revision.Id}{Markers(revision)}{(revision.Message is null ? "" : ", " + revision.Message)}");
        }
    }

    private static string Markers(RevisionInfo revision)
    {
        var markers = new List<string>(4);
        if (revision.IsHead)
        {
            markers.Add("head");
        }

        if (revision.IsBranchPoint)
        {
            markers.Add("branchpoint");
        }

        if (revision.IsMerge)
        {
            markers.Add("mergepoint");
        }

        if (!revision.IsReversible && revision.File is not null)
        {
            markers.Add("irreversible");
        }

        return markers.Count == 0 ? "" : $" ({string.Join(", ", markers)})";
    }
}
