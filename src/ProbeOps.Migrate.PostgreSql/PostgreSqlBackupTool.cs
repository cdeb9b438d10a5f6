using static ProbeOps.Migrate.Providers.PostgreSql.PostgreSqlClientTools;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Backups through pg_dump (custom format) and pg_restore, found in <see cref="ClientToolOptions.BinDirectory"/>
/// first, then on PATH. The connection reaches them only through libpq environment variables, so the
/// password is never on a command line.
/// </summary>
public sealed class PostgreSqlBackupTool : IBackupTool
{
    /// <summary>How long <c>--version</c> may take before the program is taken for broken.</summary>
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);

    private readonly string? _pathVariable;

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
    }

    public ClientToolOptions Options { get; }

    public async Task<ClientToolsReport> CheckClientAsync(IDatabaseSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var serverMajor = session.ServerVersionNumber / 10000;
        var serverLine = PgVersion.ReleaseLineOf(session.ServerVersionNumber);
        var probes = await Task.WhenAll(new[] { PgDump, PgRestore, Psql }.Select(name => ProbeAsync(name, cancellationToken)));
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

    public async Task BackupAsync(DatabaseTarget target, Stream destination, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var program = Require(PgDump, "back up");

        // The archive comes through stdout, so every byte passes the caller's stream (and its hash) once.
        var result = await PgProcess.RunAsync(
            program,
            ["--format=custom", "--no-password"],
            LibpqEnvironment(target),
            destination,
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new MigrateException(
                FailureKind.BackupFailed,
                $"pg_dump could not back up {target.Display} (exit {result.ExitCode}): {Scrub(result.FirstErrorLine, target)}");
        }
    }

    public async Task VerifyAsync(string path, CancellationToken cancellationToken)
    {
        // Writing the whole archive out as a script reads and decompresses every data block, where
        // --list reads only the table of contents: a cut or damaged archive fails here.
        var program = Require(PgRestore, "verify the backup");
        var result = await PgProcess.RunAsync(
            program,
            ["--file=" + (OperatingSystem.IsWindows() ? "NUL" : "/dev/null"), Path.GetFullPath(path)],
            NoConnection(),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new MigrateException(
                FailureKind.BackupFailed,
                $"The backup {path} is not readable: pg_restore could not read it through (exit {result.ExitCode}): {result.FirstErrorLine}");
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

    private sealed record Probe(string Name, string? Path, PgVersion? Version, string Output);

    private async Task<Probe> ProbeAsync(string name, CancellationToken cancellationToken)
    {
        var path = Find(name, Options.BinDirectory, _pathVariable);
        if (path is null)
        {
            return new Probe(name, null, null, "");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(VersionTimeout);
        try
        {
            var result = await PgProcess.RunAsync(path, ["--version"], NoConnection(), timeout.Token);
            var output = result.Stdout.Count > 0 ? result.Stdout[0].Trim() : result.FirstErrorLine;
            return new Probe(name, path, result.ExitCode == 0 ? ParseVersion(output) : null, output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Probe(name, path, null, $"--version did not answer within {VersionTimeout.TotalSeconds:0} s");
        }
        catch (MigrateException ex)
        {
            return new Probe(name, path, null, ex.Message);
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

    /// <summary>No libpq connection variables: a program that needs no server must not reach one.</summary>
    private static Dictionary<string, string?> NoConnection() =>
        new(StringComparer.Ordinal) { ["PGPASSWORD"] = null };

    /// <summary>The client programs never print the password; this keeps it so if one ever does.</summary>
    private static string Scrub(string line, DatabaseTarget target)
    {
        var password = Password(target);
        return string.IsNullOrEmpty(password) || password.Length < 4
            ? line
            : line.Replace(password, PostgreSqlConnectionSettings.Mask, StringComparison.Ordinal);
    }
}
