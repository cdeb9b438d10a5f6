using System.CommandLine;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>backup</c> and <c>restore</c>.</summary>
public static class BackupCommands
{
    public static Command Backup(CliContext context)
    {
        var output = new Option<string?>("--output") { Description = "Write the backup to FILE instead of the backup directory.", HelpName = "FILE" };
        var keep = new Option<int?>("--keep") { Description = "Keep only the newest N backups of this database in the backup directory.", HelpName = "N" };
        var pgBin = DeployCommands.PgBinDirOption();
        var command = new Command("backup", "Take a backup (PostgreSQL: pg_dump custom format; SQLite: a consistent copy), verify it, and write its SHA-256 beside it.") { output, keep, pgBin };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            if (result.GetValue(keep) is < 1)
            {
                throw new MigrateException(FailureKind.Usage, "--keep must be at least 1.");
            }

            var settings = DeployCommands.WithPgBin(context.LoadSettings(result), result.GetValue(pgBin), context);
            var backup = await TerminalProgress.RunAsync(
                context.Console,
                new ProgressObserver(context.Console),
                observer => context.CreateCommands(settings, observer).BackupAsync(result.GetValue(output), result.GetValue(keep), ct));
            if (context.IsJson(result))
            {
                var b = backup.Backup;
                var document = new BackupCommandDocument(backup.Database, b.Path, b.Sha256, b.Bytes, b.ChecksumFile, Math.Round(b.Elapsed.TotalMilliseconds), b.Removed);
                return context.WriteJson(result, document, CliJsonContext.Default.BackupCommandDocument);
            }

            context.Console.Out.WriteLine($"Backup of {backup.Database}: {ErrorRenderer.RelativePath(backup.Backup.Path, context.WorkingDirectory)} ({backup.Backup.Bytes} bytes, verified)");
            context.Console.Out.WriteLine($"sha256 {backup.Backup.Sha256}");
            foreach (var removed in backup.Backup.Removed)
            {
                context.Console.Out.WriteLine($"removed {ErrorRenderer.RelativePath(removed, context.WorkingDirectory)}");
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    public static Command Restore(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A backup written by backup or deploy." };
        var confirm = new Option<string?>("--confirm") { Description = "The database's name, to confirm that its contents may be replaced.", HelpName = "DBNAME" };
        var pgBin = DeployCommands.PgBinDirOption();
        var command = new Command("restore", "Restore a backup over the database in one transaction, keeping the audit log (checksum checked first; the restored schema checked against the backup's). Asks for the database name.") { file, confirm, pgBin };
        context.RunOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = DeployCommands.WithPgBin(context.LoadSettings(result, withRunOptions: true), result.GetValue(pgBin), context);
            var commands = context.CreateCommands(settings);
            var confirmation = context.Confirmation(result, confirm, commands, "This replaces everything in");

            var restored = await commands.RestoreAsync(result.GetValue(file)!, confirmation, ct);
            if (context.IsJson(result))
            {
                var document = new RestoreDocument(restored.Database, restored.File, restored.HeadsAfter, restored.Schema.Status, restored.Schema.Summary);
                return context.WriteJson(result, document, CliJsonContext.Default.RestoreDocument);
            }

            context.Console.Out.WriteLine($"Restored {ErrorRenderer.RelativePath(restored.File, context.WorkingDirectory)} over {restored.Database}; now at {(restored.HeadsAfter.Count == 0 ? "base" : ShortList.Join(restored.HeadsAfter))}.");
            context.Console.Out.WriteLine(char.ToUpperInvariant(restored.Schema.Summary[0]) + restored.Schema.Summary[1..] + ".");
            return 0;
        }, cancellationToken));
        return command;
    }
}
