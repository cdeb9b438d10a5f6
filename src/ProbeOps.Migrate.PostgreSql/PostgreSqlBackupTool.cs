using static ProbeOps.Migrate.Providers.PostgreSql.PostgreSqlClientTools;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Backups through pg_dump (custom format) and pg_restore, found in <see cref="ClientToolOptions.BinDirectory"/>
/// first, then on PATH. The connection reaches them only through libpq environment variables, so the
/// password is never on a command line.
/// </summary>
public sealed class PostgreSqlBackupTool : IBackupTool
{
    private readonly string? _pathVariable;
    private readonly PgClientProbes _probes;

    public PostgreSqlBackupTool(ClientToolOptions options)
        : this(options, pathVariable: null)
    {
    }

    /// <param name="pathVariable">The PATH to search instead of this process's.</param>
    internal PostgreSqlBackupTool(ClientToolOptions options, string? pathVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _pathVariable = pathVariable;
        _probes = new PgClientProbes(options.BinDirectory, pathVariable);
    }

    public ClientToolOptions Options { get; }

    /// <summary>Starts the <c>--version</c> runs in the background; <see cref="CheckClientAsync"/> awaits the same answers.</summary>
    public void StartClientProbe() => _probes.GetAsync();

    public async Task<ClientToolsReport> CheckClientAsync(IDatabaseSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var serverMajor = session.ServerVersionNumber / 10000;
        var serverLine = PgVersion.ReleaseLineOf(session.ServerVersionNumber);
        var probes = await _probes.GetAsync().WaitAsync(cancellationToken);
        var dump = probes[0];
        var restore = probes[1];

        var problems = new List<string>();
        foreach (var probe in new[] { dump, restore })
        {
            if (probe.Path is null)
            {
                problems.Add($"{probe.Name} not found {WhereLooked()}: install postgresql-client-{serverMajor} or pass --pg-bin-dir.");
            }
            else if (probe.Version is null)
            {
                problems.Add($"{probe.Path} did not report a PostgreSQL version ({probe.Output}): pass --pg-bin-dir pointing at the PostgreSQL {serverMajor} client tools.");
            }
        }

        var fix = $"install the PostgreSQL {serverMajor} client tools (postgresql-client-{serverMajor}) or pass --pg-bin-dir pointing at them.";
        var dumpOld = dump.Version is { } d && d.ReleaseLine < serverLine;
        var restoreOld = restore.Version is { } r && r.ReleaseLine < serverLine;
        if (dumpOld && restoreOld)
        {
            problems.Add($"pg_dump {dump.Version!.Value.Text} cannot back up PostgreSQL {session.ServerVersion} and pg_restore {restore.Version!.Value.Text} cannot restore its backups: {fix}");
        }
        else if (dumpOld)
        {
            problems.Add($"pg_dump {dump.Version!.Value.Text} cannot back up PostgreSQL {session.ServerVersion}: {fix}");
        }
        else if (restoreOld)
        {
            problems.Add($"pg_restore {restore.Version!.Value.Text} cannot restore backups of PostgreSQL {session.ServerVersion}: {fix}");
        }

        var tools = probes
            .Where(p => p.Path is not null)
            .Select(p => new ClientTool(p.Name, p.Path!, p.Version?.Text ?? "unknown", p.Version?.Major ?? 0))
            .ToList();
        return new ClientToolsReport(session.ServerVersion, serverMajor, tools, problems);
    }

    /// <summary>
    /// pg_dump writes the archive to stdout; every byte passes the caller's stream (and its hash) once and,
    /// on its way, <c>pg_restore</c> reading it to nowhere, which decompresses every data block as
    /// <see cref="VerifyAsync"/> would from the file: the backup is proved while it is written. Without a
    /// pg_restore to hand, it is written only, and left to <see cref="VerifyAsync"/> (which names it missing).
    /// </summary>
    public async Task<bool> BackupAsync(DatabaseTarget target, Stream destination, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var program = Require(PgDump, "back up");
        if (Find(PgRestore, Options.BinDirectory, _pathVariable) is not { } restore)
        {
            await DumpAsync(program, target, destination, cancellationToken);
            return false;
        }

        using var reader = PgProcess.Start(PgProcess.StartInfo(restore, ["--file=" + NullDevice], NoConnection()));
        var readerOutput = PgProcess.ReadLinesAsync(reader.StandardOutput);
        var readerErrors = PgProcess.ReadLinesAsync(reader.StandardError);
        try
        {
            var tee = new PgTeeStream(destination, reader.StandardInput.BaseStream);
            await DumpAsync(program, target, tee, cancellationToken);
            CloseInput(reader);
            await reader.WaitForExitAsync(cancellationToken);
        }
        catch
        {
            PgProcess.Kill(reader);
            await reader.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var read = new PgProcessResult(reader.ExitCode, await readerOutput, await readerErrors);
        if (read.ExitCode != 0)
        {
            throw Unreadable(destinationPath, read);
        }

        return true;
    }

    private static async Task DumpAsync(string program, DatabaseTarget target, Stream destination, CancellationToken cancellationToken)
    {
        var result = await PgProcess.RunAsync(program, ["--format=custom", "--no-password"], LibpqEnvironment(target), destination, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new MigrateException(
                FailureKind.BackupFailed,
                $"pg_dump could not back up {target.Display} (exit {result.ExitCode}): {Scrub(result.FirstErrorLine, target)}");
        }
    }

    /// <summary>Ends the reader's input, so it reads to the end; one that already stopped reading has its say through its exit code.</summary>
    private static void CloseInput(System.Diagnostics.Process reader)
    {
        try
        {
            reader.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited before the end: its exit code and stderr tell why.
        }
    }

    private static MigrateException Unreadable(string path, PgProcessResult result) => new(
        FailureKind.BackupFailed,
        $"The backup {path} is not readable: pg_restore could not read it through (exit {result.ExitCode}): {result.FirstErrorLine}");

    public async Task VerifyAsync(string path, CancellationToken cancellationToken)
    {
        // Writing the whole archive out as a script reads and decompresses every data block, where
        // --list reads only the table of contents: a cut or damaged archive fails here.
        var program = Require(PgRestore, "verify the backup");
        var result = await PgProcess.RunAsync(
            program,
            ["--file=" + NullDevice, Path.GetFullPath(path)],
            NoConnection(),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw Unreadable(path, result);
        }
    }

    /// <summary>
    /// Restores through <c>pg_restore</c> (which writes the backup's script, connecting nowhere) piped into
    /// <c>psql</c>, inside one transaction of <see cref="PostgreSqlRestoreScript"/>: everything is dropped
    /// first, the backup recreated, the audit rows carried over. A failure anywhere rolls all of it back.
    /// </summary>
    public async Task RestoreAsync(IDatabaseSession session, string path, CancellationToken cancellationToken)
    {
        var pg = session as PostgreSqlSession ?? throw new ArgumentException("A PostgreSQL session is needed.", nameof(session));
        var target = pg.Target;
        var restore = Require(PgRestore, "restore");
        var psql = Require(Psql, "restore");
        var auditExists = (await ((PostgreSqlHistoryStore)pg.History).TablesExistAsync(cancellationToken)).Audit;
        var drops = await ((PostgreSqlCleaner)pg.Cleaner).PlanAsync(keepAudit: false, cancellationToken);
        var script = new PostgreSqlRestoreScript(pg.HistorySql);

        // --clean --if-exists as well: harmless after the drops, and it covers what they do not list.
        var (produced, ran) = await PgPipe.RunAsync(
            new PgCommand(restore, ["--clean", "--if-exists", "--no-owner", "--file=-", Path.GetFullPath(path)], NoConnection()),
            new PgCommand(
                psql,
                ["--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--dbname=" + DatabaseArgument(target.DatabaseName), "--file=-"],
                LibpqEnvironment(target)),
            script.Head(auditExists, drops),
            script.Tail(auditExists),
            cancellationToken);
        if (ran is not null && ran.ExitCode != 0)
        {
            throw new MigrateException(
                FailureKind.BackupFailed,
                $"Restoring {path} over {target.Display} failed (psql exit {ran.ExitCode}): {Scrub(ran.FirstErrorLine, target)} The restore ran in one transaction: the database is unchanged.");
        }

        if (ran is null || produced.ExitCode != 0)
        {
            throw new MigrateException(
                FailureKind.BackupFailed,
                $"pg_restore could not read {path} (exit {produced.ExitCode}): {produced.FirstErrorLine} Nothing was restored: the database is unchanged.");
        }
    }

    private string Require(string name, string verb) =>
        Find(name, Options.BinDirectory, _pathVariable) ?? throw new MigrateException(
            FailureKind.BackupFailed,
            $"Cannot {verb}: {name} not found {WhereLooked()}. Install the PostgreSQL client tools or pass --pg-bin-dir.");

    private string WhereLooked() =>
        string.IsNullOrEmpty(Options.BinDirectory) ? "on PATH" : $"in --pg-bin-dir {Options.BinDirectory} or PATH";

    /// <summary>A database name as <c>-d</c> takes it: libpq reads a value holding <c>=</c> or a URL prefix as a connection string.</summary>
    private static string DatabaseArgument(string name)
    {
        if (!name.Contains('=', StringComparison.Ordinal) &&
            !name.StartsWith("postgres://", StringComparison.Ordinal) &&
            !name.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return name;
        }

        return "dbname='" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    /// <summary>The client programs never print the password; this keeps it so if one ever does.</summary>
    private static string Scrub(string line, DatabaseTarget target)
    {
        var password = Password(target);
        return string.IsNullOrEmpty(password) || password.Length < 4
            ? line
            : line.Replace(password, PostgreSqlConnectionSettings.Mask, StringComparison.Ordinal);
    }
}
