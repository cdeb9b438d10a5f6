using System.Globalization;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Commands;

/// <summary>The options of <c>lint</c>.</summary>
public sealed record LintRequest
{
    /// <summary>The revisions to check (any form that names one revision); empty: every revision.</summary>
    public IReadOnlyList<string> Revisions { get; init; } = [];

    /// <summary>The server version to lint for (<c>--pg-version</c>); wins over the database's.</summary>
    public Version? ServerVersion { get; init; }
}

/// <summary>What <c>lint</c> found, and what it knew: the server version and the pending revisions, with a database.</summary>
/// <param name="Report">Findings and suppressions.</param>
/// <param name="MigrationsDirectory">The migrations directory read.</param>
/// <param name="Database">The database read for its version and history (masked); null when linted offline.</param>
/// <param name="ServerVersion">The server version linted for; null: the oldest supported server.</param>
/// <param name="Pending">The revisions pending on the database; null when linted offline.</param>
/// <param name="Notice">Why nothing was checked (a SQLite database without <c>--pg-version</c>); null when lint ran.</param>
public sealed record LintResult(
    LintReport Report, string MigrationsDirectory, string? Database, Version? ServerVersion, IReadOnlyList<string>? Pending, string? Notice = null);

/// <summary>
/// <c>lint</c>: checks revisions for statements that are dangerous on a database in service (SPEC §10). With a
/// database it reads the server version and the history, without taking the migration lock: it changes nothing.
/// </summary>
public sealed class LintVerb(LintRequest request, IMigrationLinter linter) : IDatabaseVerb<LintResult>
{
    public OperationNeeds Needs { get; } = new(History: HistoryNeed.Read);

    public Task<LintResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var graph = scope.Graph;
        var applied = scope.History.AppliedIds;
        var pending = graph.TopologicalOrder.Where(r => !applied.Contains(r.Id)).Select(r => r.Id).ToList();
        if (request.ServerVersion is null && !LintServer.RulesApply(scope.Context.Provider.Dialect))
        {
            return Task.FromResult(new LintResult(
                new LintReport([], [], 0), scope.Context.Graphs.MigrationsDirectory, scope.Database, null, pending, LintServer.NotPostgreSql(scope.Context.Provider.Dialect)));
        }

        var version = request.ServerVersion ?? LintServer.VersionOf(scope.Session);
        var options = scope.Context.Settings.Lint.ToOptions(version, pending.ToHashSet(StringComparer.Ordinal));
        var report = linter.Lint(graph, Select(graph, request.Revisions), options, Repeatables(graph));
        return Task.FromResult(new LintResult(report, scope.Context.Graphs.MigrationsDirectory, scope.Database, version, pending));
    }

    /// <summary>Lints without a database: only objects created earlier in the same revision count as new.</summary>
    public LintResult RunOffline(GraphLoader graphs, MigrateSettings settings)
    {
        var graph = graphs.Load();
        var options = settings.Lint.ToOptions(request.ServerVersion, pending: null);
        var report = linter.Lint(graph, Select(graph, request.Revisions), options, Repeatables(graph));
        return new LintResult(report, graphs.MigrationsDirectory, null, request.ServerVersion, null);
    }

    /// <summary>Every repeatable migration when no revision is named; none when some are.</summary>
    private IReadOnlyList<Files.RepeatableMigration> Repeatables(RevisionGraph graph) => request.Revisions.Count == 0 ? graph.Repeatables : [];

    /// <summary>The named revisions in graph order, each once; every revision when none is named.</summary>
    private static IReadOnlyList<Revision> Select(RevisionGraph graph, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return graph.TopologicalOrder;
        }

        var ids = names.Select(n => RevisionFileWriter.ResolveExisting(graph, n)).ToHashSet(StringComparer.Ordinal);
        return [.. graph.TopologicalOrder.Where(r => ids.Contains(r.Id))];
    }
}

/// <summary>What lint needs to know of a server.</summary>
public static class LintServer
{
    /// <summary>Whether the rules, which are PostgreSQL's, apply to a project in this dialect.</summary>
    public static bool RulesApply(ISqlDialect dialect) => dialect.Name == SqlDialects.PostgreSql.Name;

    /// <summary>The one line saying why a project on another engine was not linted.</summary>
    public static string NotPostgreSql(ISqlDialect dialect) =>
        $"The database is {dialect.Name}: lint's rules are PostgreSQL's, so nothing was checked (--pg-version N lints these migrations for PostgreSQL).";

    /// <summary>The PostgreSQL server's major and minor version; null for an engine without a server (SQLite).</summary>
    public static Version? VersionOf(IDatabaseSession session)
    {
        if (!session.Capabilities.ServerProcess || session.ServerVersionNumber <= 0)
        {
            return null;
        }

        // server_version_num: 150018 is 15.18; before 10 it was 90624 for 9.6.24.
        var number = session.ServerVersionNumber;
        return number >= 100000 ? new Version(number / 10000, number % 10000) : new Version(number / 10000, number / 100 % 100);
    }

    /// <summary>
    /// Reads <c>--pg-version</c>: a major version (<c>15</c>) or major and minor (<c>9.6</c>, <c>15.4</c>), 9.6 or later.
    /// Anything else is a usage error.
    /// </summary>
    public static Version ParseVersion(string text)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length <= 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var major = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var version = new Version(major, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0);
            if (version >= new Version(9, 6) && major < 100)
            {
                return version;
            }
        }

        throw new MigrateException(FailureKind.Usage, $"--pg-version '{text}' is not a PostgreSQL version: give a major version such as 15 (9.6 or later).");
    }
}
