using System.Diagnostics;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>The outcome of a deploy or preflight: the report, and the failure behind a non-zero exit.</summary>
public sealed record DeployOutcome(DeployReport Report, MigrateException? Failure, IReadOnlyList<string> LogFiles);

/// <summary>
/// The safe deploy of SPEC §6, stage by stage: validate, connect, check versions, lock, inspect,
/// check drift, plan, back up, apply, record. Each stage is timed and reported; the first failing
/// stage ends the run with its exit code. Preflight runs the stages that change nothing.
/// </summary>
public sealed partial class DeployPipeline(
    MigrateSettings settings,
    ProviderRegistry providers,
    TimeProvider time,
    Actor actor,
    IDeployObserver observer)
{
    private readonly List<StageReport> _stages = [];
    private readonly List<string> _warnings = [];
    // What the stages found so far; a new one at the start of each run.
    private DeployReport _report = null!;

    public async Task<DeployOutcome> RunAsync(DeployRequest request, bool preflight, CancellationToken cancellationToken)
    {
        _report = new DeployReport
        {
            DeployId = ToolInfo.NewDeployId(time),
            Command = preflight ? "preflight" : "deploy",
            StartedAt = time.GetUtcNow(),
        };
        if (!preflight && DeployLogWriter.CheckWritable(settings.LogDirectory) is { } unwritable)
        {
            var stopped = _report with { ExitCode = (int)unwritable.Kind, Outcome = "failed", Error = unwritable.Message, FinishedAt = time.GetUtcNow() };
            return new DeployOutcome(stopped, unwritable, []);
        }

        MigrateException? failure = null;
        IDatabaseSession? session = null;
        IAsyncDisposable? held = null;
        DeployReport report;
        var runOptions = new RunOptions(request.Mode, DryRun: false, settings.LockRetries, _report.DeployId, actor);
        try
        {
            report = await RunStagesAsync(request, preflight, runOptions, s => session = s, h => held = h, cancellationToken);
        }
        catch (MigrateException ex)
        {
            failure = ex;
            report = _report with { ExitCode = (int)ex.Kind, Outcome = "failed", Error = ex.Message };
        }
        catch (OperationCanceledException ex)
        {
            failure = new MigrateException(FailureKind.Internal, "Cancelled: the open transaction was rolled back.", ex);
            report = _report with { ExitCode = (int)FailureKind.Internal, Outcome = "failed", Error = failure.Message };
        }
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync();
            }

            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        if (failure?.Kind == FailureKind.MigrationFailed && report.Backup is { } backup)
        {
            var restore = RestoreCommandLine.For(settings, providers.Resolve(settings.RequireDatabase()).Target, backup.Path);
            report = report with { RestoreCommand = restore.Text, RestorePasswordMasked = restore.PasswordMasked };
        }

        report = report with { FinishedAt = time.GetUtcNow(), Stages = [.. _stages], Warnings = [.. _warnings] };
        var files = preflight ? [] : DeployLogWriter.TryWrite(report, settings.LogDirectory, _warnings);
        return new DeployOutcome(report with { Warnings = [.. _warnings] }, failure, files);
    }

    /// <summary>Runs the stages; what they learn goes into <see cref="_report"/> at once, so a failing stage still reports everything before it.</summary>
    private async Task<DeployReport> RunStagesAsync(
        DeployRequest request,
        bool preflight,
        RunOptions runOptions,
        Action<IDatabaseSession> keepSession,
        Action<IAsyncDisposable> keepLock,
        CancellationToken cancellationToken)
    {
        // Settings first: a missing database setting is a usage error, whatever the files say.
        var (provider, target) = providers.Resolve(settings.RequireDatabase());

        // 1. Files and graph.
        var graph = await StageAsync(DeployStages.Validate, () =>
        {
            var loaded = new Commands.MigrationCommands(settings, providers, time).LoadGraph(request.AllowMultipleHeads);
            return Task.FromResult((loaded, $"{loaded.Count} migrations, head {Summarise(loaded.Heads.Select(h => h.Id))}"));
        });

        // 2. Connect.
        _report = _report with { Database = target.Display };
        var session = await StageAsync(DeployStages.Connect, async () =>
        {
            var opened = await provider.OpenSessionAsync(target, settings.ToSessionOptions(), cancellationToken);
            keepSession(opened);
            return (opened, $"{target.Display} ({provider.Name} {opened.ServerVersion})");
        });

        // 3. Versions.
        var backupTool = provider.BackupTool(new ClientToolOptions(settings.PgBinDirectory));
        var clients = await StageAsync(DeployStages.Versions, async () =>
        {
            var check = await backupTool.CheckClientAsync(session, cancellationToken);
            var found = string.Join(", ", check.Tools.Select(t => $"{t.Name} {t.Version}"));
            var detail = $"server {check.ServerVersion}{(found.Length == 0 ? "" : "; " + found)}";
            if (!check.IsCompatible)
            {
                if (!request.NoBackup)
                {
                    throw new MigrateException(FailureKind.VersionMismatch, string.Join(" ", check.Problems) + " Nothing was changed.");
                }

                _warnings.AddRange(check.Problems.Select(p => p + " (only a warning: --no-backup)"));
                return (check, detail, StageOutcome.Warning);
            }

            return (check, detail, StageOutcome.Passed);
        });
        _report = _report with
        {
            Versions = new VersionReport(ToolInfo.Version, clients.ServerVersion, clients.Tools.ToDictionary(t => t.Name, t => t.Version, StringComparer.Ordinal)),
        };

        // 4. The migration lock, held until the end of the run.
        if (!preflight)
        {
            await StageAsync(DeployStages.Lock, async () =>
            {
                keepLock(await session.Lock.AcquireAsync(settings.WaitForLock, cancellationToken));
                return (true, $"held (waited at most {Durations.Format(settings.WaitForLock)})");
            });
        }

        // 5. What the database holds.
        var inspection = await StageAsync(DeployStages.Inspect, async () =>
        {
            var found = await InspectAsync(graph, session, request, preflight, cancellationToken);
            return (found, found.Detail, found.Outcome);
        });
        _report = _report with
        {
            DatabaseState = inspection.State.ToString().ToLowerInvariant(),
            HeadsBefore = graph.HeadsOf(inspection.Applied),
            Stamped = [.. inspection.StampRows.Select(r => r.Revision)],
        };

        // 6. The live schema against the expected one.
        await StageAsync(DeployStages.Drift, () => CheckDriftAsync(graph, session, inspection.State, inspection.Applied, request, cancellationToken));

        // 7. Plan.
        var plan = await StageAsync(DeployStages.Plan, () =>
        {
            var planTarget = graph.Heads.Count == 1 ? Target.Revision(graph.Heads[0].Id) : Target.Heads;
            var planned = Planner.PlanUpgrade(graph, inspection.Applied, planTarget);
            return Task.FromResult((planned, planned.IsEmpty ? "nothing pending" : $"{planned.Steps.Count} pending: {Summarise(planned.Steps.Select(s => s.Id))}"));
        });
        _report = _report with { Pending = [.. plan.Steps.Select(s => s.Id)] };

        if (preflight)
        {
            return _report with { ExitCode = 0, Outcome = "succeeded" };
        }

        if (plan.IsEmpty && inspection.StampRows.Count == 0)
        {
            Skip(DeployStages.Backup, "nothing pending: no backup needed");
            Skip(DeployStages.Apply, "nothing pending");
            await RecordAsync(session, runOptions, _report, AuditOperations.Upgrade, AuditOutcomes.Succeeded, [], "nothing to do");
            return _report with { ExitCode = 0, Outcome = "nothing-to-do", HeadsAfter = _report.HeadsBefore };
        }

        // 8. Back up, before any change.
        if (request.NoBackup)
        {
            Skip(DeployStages.Backup, "--no-backup");
            _warnings.Add("No backup was taken (--no-backup).");
        }
        else
        {
            var backup = await StageAsync(DeployStages.Backup, async () =>
            {
                var service = new BackupService(backupTool, time);
                var info = await service.CreateAsync(target, settings.BackupDirectory, BackupService.RevisionLabel(_report.HeadsBefore), request.KeepBackups, cancellationToken);
                await BackupSchemaFile.WriteAsync(session, info.Path, cancellationToken);
                var removed = info.Removed.Count == 0 ? "" : $"; retention removed {info.Removed.Count} files of older backups";
                return (info, $"{info.Path} ({info.Bytes} bytes, sha256 {info.Sha256[..12]}…, verified{removed})");
            });
            _report = _report with { Backup = backup };
        }

        // 9. Apply: the stamp of an unversioned database first, then the pending migrations.
        var steps = await StageAsync(DeployStages.Apply, async () =>
        {
            if (inspection.StampRows.Count > 0)
            {
                await WriteStampAsync(session, inspection.StampRows, cancellationToken);
                await RecordAsync(session, runOptions, _report, AuditOperations.Stamp, AuditOutcomes.Succeeded, inspection.StampRows.Select(r => r.Revision), "stamped an unversioned database");
            }

            var runner = new MigrationRunner(session, runOptions, time, observer);
            try
            {
                var applied = await runner.RunAsync(plan, cancellationToken);
                return (applied, $"{applied.Count} applied ({request.Mode switch { TransactionMode.PerMigration => "a transaction per migration", _ => "one transaction" }})");
            }
            catch (Exception ex) when (ex is MigrateException or OperationCanceledException)
            {
                await RecordAsync(session, runOptions, _report, AuditOperations.Upgrade, AuditOutcomes.Failed, plan.Steps.Select(s => s.Id), ex.Message);
                throw;
            }
        });

        // 10. Record.
        var after = new HashSet<string>(inspection.Applied, StringComparer.Ordinal);
        after.UnionWith(steps.Select(s => s.Revision));
        _report = _report with { Applied = [.. steps.Select(s => s.Revision)], HeadsAfter = graph.HeadsOf(after) };
        await StageAsync(DeployStages.Record, async () =>
        {
            await RecordAsync(session, runOptions, _report, AuditOperations.Upgrade, AuditOutcomes.Succeeded, steps.Select(s => s.Revision), _report.Backup is null ? null : $"backup {_report.Backup.Path}");
            return (true, $"history and audit log written; deploy id {_report.DeployId}");
        });
        return _report with { ExitCode = 0, Outcome = "succeeded" };
    }

    private sealed record Inspection(DatabaseState State, IReadOnlySet<string> Applied, IReadOnlyList<AppliedRevision> StampRows, string Detail, StageOutcome Outcome);

    private async Task<Inspection> InspectAsync(RevisionGraph graph, IDatabaseSession session, DeployRequest request, bool preflight, CancellationToken cancellationToken)
    {
        var state = await session.Inspector.GetStateAsync(cancellationToken);
        var applied = await session.History.ReadAppliedAsync(cancellationToken);
        if (state == DatabaseState.Versioned || applied.Count > 0)
        {
            var check = HistoryCheck.Compare(graph, applied);
            check.ThrowIfInconsistent();
            return new Inspection(DatabaseState.Versioned, check.AppliedIds, [], $"versioned at {Summarise(graph.HeadsOf(check.AppliedIds))}", StageOutcome.Passed);
        }

        if (state == DatabaseState.Empty)
        {
            return new Inspection(state, new HashSet<string>(StringComparer.Ordinal), [], "empty: every migration will run", StageOutcome.Passed);
        }

        var objects = await session.Inspector.ListUserObjectsAsync(cancellationToken);
        var baseRevision = graph.Bases.Count > 0 ? graph.Bases[0].Id : "base";
        var choice = request.StampUnversioned;
        if (choice is null && !preflight)
        {
            choice = request.AskStamp?.Invoke(new StampQuestion(state, [.. objects.Take(10)], baseRevision));
            if (choice is null)
            {
                throw new MigrateException(
                    FailureKind.ConfirmationRequired,
                    $"The database has {objects.Count} object{(objects.Count == 1 ? "" : "s")} but no migration history: pass --stamp-unversioned base (its schema is the base revision {baseRevision}), --stamp-unversioned head (it has every migration) or --stamp-unversioned REV. Nothing was changed.");
            }
        }

        if (choice is null)
        {
            _warnings.Add($"The database is unversioned ({objects.Count} objects, no history): deploy needs --stamp-unversioned base|head|REV.");
            return new Inspection(state, new HashSet<string>(StringComparer.Ordinal), [], $"unversioned: {objects.Count} objects, no history", StageOutcome.Warning);
        }

        if (choice == AutoStamp)
        {
            choice = await MatchUnversionedAsync(graph, session, request, cancellationToken);
        }

        var stampTarget = choice switch
        {
            "base" => graph.Bases.Count == 1
                ? Target.Revision(graph.Bases[0].Id)
                : throw new MigrateException(FailureKind.InvalidMigrations, "--stamp-unversioned base needs exactly one base revision."),
            "head" => Target.Heads,
            _ => TargetResolver.Resolve(graph, choice, new HashSet<string>(StringComparer.Ordinal)),
        };
        var stampSet = Planner.StampSet(graph, stampTarget);
        var now = time.GetUtcNow();
        var options = new RunOptions(TransactionMode.Single, false, 0, "", actor);
        var rows = graph.TopologicalOrder.Where(r => stampSet.Contains(r.Id)).Select(r => MigrationRunner.ToHistoryRow(r, now, 0, options)).ToList();
        return new Inspection(state, stampSet, rows, $"unversioned: {objects.Count} objects; stamping {Summarise(graph.HeadsOf(stampSet))} ({choice})", StageOutcome.Passed);
    }

    private async Task WriteStampAsync(IDatabaseSession session, IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken)
    {
        try
        {
            await session.Executor.BeginTransactionAsync(cancellationToken);
            await session.History.EnsureCreatedAsync(cancellationToken);
            await session.History.RecordAppliedAsync(rows, cancellationToken);
            await session.Executor.CommitAsync(cancellationToken);
        }
        catch (StatementFailedException ex)
        {
            await session.Executor.RollbackAsync(CancellationToken.None);
            throw new MigrateException(FailureKind.MigrationFailed, $"Stamping the unversioned database failed: {ex.Message}; nothing was changed.", ex);
        }
    }

    /// <summary>Appends an audit row, on a second connection when the session's is gone; a row that cannot be written at all is a warning.</summary>
    private async Task RecordAsync(IDatabaseSession session, RunOptions options, DeployReport report, string operation, string outcome, IEnumerable<string> revisions, string? detail)
    {
        var problem = await AuditWriter.For(settings, providers, time, actor)
            .AppendAsync(session, options.DeployId, operation, report.StartedAt, outcome, revisions, detail);
        if (problem is not null)
        {
            _warnings.Add(problem);
        }
    }

    private async Task<T> StageAsync<T>(string name, Func<Task<(T Value, string Detail)>> body)
    {
        return await StageAsync(name, async () =>
        {
            var (value, detail) = await body();
            return (value, detail, StageOutcome.Passed);
        });
    }

    private async Task<T> StageAsync<T>(string name, Func<Task<(T Value, string Detail, StageOutcome Outcome)>> body)
    {
        observer.StageStarted(name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (value, detail, outcome) = await body();
            Finish(new StageReport(name, outcome, Stopwatch.GetElapsedTime(started), detail));
            return value;
        }
        catch (MigrateException ex)
        {
            Finish(new StageReport(name, StageOutcome.Failed, Stopwatch.GetElapsedTime(started), ex.Message));
            throw;
        }
        catch (OperationCanceledException)
        {
            Finish(new StageReport(name, StageOutcome.Failed, Stopwatch.GetElapsedTime(started), "cancelled"));
            throw;
        }
    }

    private void Skip(string name, string detail) => Finish(new StageReport(name, StageOutcome.Skipped, TimeSpan.Zero, detail));

    private void Finish(StageReport stage)
    {
        _stages.Add(stage);
        observer.StageFinished(stage);
    }

    private static string Summarise(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return list.Count switch
        {
            0 => "base",
            <= 3 => string.Join(", ", list),
            _ => $"{string.Join(", ", list.Take(2))} … {list[^1]}",
        };
    }
}
