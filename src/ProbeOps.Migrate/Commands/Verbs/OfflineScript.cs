using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// A <c>FROM:TO</c> range of an offline script, as Alembic writes it (<c>base:head</c>, <c>head:base</c>,
/// revision ids or unique prefixes). <see cref="From"/> is null when only a target was given.
/// </summary>
public sealed record ScriptRange(string? From, string To)
{
    /// <summary>Reads <c>FROM:TO</c>, or a lone target.</summary>
    public static ScriptRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return new ScriptRange(null, text);
        }

        var from = text[..colon];
        var to = text[(colon + 1)..];
        return from.Length == 0 || to.Length == 0 || to.Contains(':', StringComparison.Ordinal)
            ? throw new MigrateException(FailureKind.Usage, $"'{text}' is not a range: write FROM:TO, e.g. base:head or head:base")
            : new ScriptRange(from, to);
    }
}

/// <summary>
/// <c>upgrade --sql</c> and <c>downgrade --sql</c> without a database: the applied state is assumed to be
/// <c>FROM</c> and its ancestors (<c>base</c>: nothing) instead of read, and the SQL is written in the
/// dialect given, else the configured database's (from its setting alone, never connecting), else
/// PostgreSQL's.
/// </summary>
public sealed class OfflineScript(MigrateSettings settings, ProviderRegistry providers, TimeProvider time, Actor actor)
{
    public ScriptResult Write(MigrationDirection direction, ScriptRange range, ISqlDialect? dialect, TransactionMode mode)
    {
        ArgumentNullException.ThrowIfNull(range);
        var provider = ProviderFor(dialect);
        var from = range.From ?? (direction == MigrationDirection.Upgrade
            ? "base"
            : throw new MigrateException(FailureKind.Usage, "downgrade --sql without a database needs a range FROM:TO, e.g. head:base"));
        var graph = new GraphLoader(settings.MigrationsDirectory, provider.Dialect, MigrationContext.PlaceholdersFor(settings, provider.Dialect, ""), settings.FileCacheDirectory) { CodeMigrations = settings.CodeMigrations }.Load();
        var assumed = Planner.StampSet(graph, TargetResolver.Resolve(graph, from, new HashSet<string>(StringComparer.Ordinal)));
        var target = TargetResolver.Resolve(graph, range.To, assumed);
        // Without a database no repeatable is known to be applied: a range that ends with nothing pending applies them all.
        var plan = Planner.Plan(direction, graph, assumed, target).WithRepeatables(graph, assumed, _ => null);
        var options = new RunOptions(mode, DryRun: false, settings.LockRetries, ToolInfo.NewDeployId(time), actor);
        var header = $"-- {provider.Name} script from {from} to {range.To}, written without a database: the database is assumed to be at {from}.\n";
        var sql = header + ScriptWriter.Write(plan, provider.HistorySql(settings.History), mode, options, time.GetUtcNow());
        return new ScriptResult("(offline)", direction, target.ToString(), [.. plan.Ids], sql);
    }

    private IDatabaseProvider ProviderFor(ISqlDialect? dialect)
    {
        var name = dialect?.Name ?? providers.DialectOf(settings.Database)?.Name ?? SqlDialects.Default.Name;
        return providers.Providers.FirstOrDefault(p => p.Dialect.Name == name)
            ?? throw new MigrateException(FailureKind.Usage, $"no provider writes {name} SQL");
    }
}
