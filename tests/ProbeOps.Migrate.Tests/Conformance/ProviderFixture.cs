using System.Diagnostics;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>
/// What one engine adds to the conformance suite: how to make a fresh database, the engine's own
/// SQL where a scenario needs some, and how to see from outside that a run is mid-way or waiting.
/// Everything else (the scenarios and their assertions) is shared; a new engine writes a fixture
/// and lists it in <see cref="ConformanceProviders"/>.
/// </summary>
public abstract class ProviderFixture
{
    /// <summary>The provider's name, as the theory cases show it.</summary>
    public abstract string Name { get; }

    /// <summary>A new provider; the test disposes it.</summary>
    public abstract IDatabaseProvider CreateProvider();

    /// <summary>A fresh, empty database of this engine, for one test; <paramref name="directory"/> is the test's own.</summary>
    public abstract Task<ConformanceDatabase> CreateDatabaseAsync(TempDirectory directory);

    /// <summary>A statement that fails on this engine, and a piece of text its error shows.</summary>
    public abstract FailingStatement Failing { get; }

    /// <summary>
    /// Holds the database so that a run started now stops mid-way, with migrations run but not
    /// committed, until released. Migrations put <see cref="RunBlocker.Statement"/> where the run is to stop.
    /// </summary>
    public abstract Task<RunBlocker> BlockRunsAsync(ConformanceDatabase database);

    /// <summary>Waits until the CLI process <paramref name="second"/> has reached the database while a blocked run holds it.</summary>
    public abstract Task WaitUntilQueuedAsync(ConformanceDatabase database, Process second);

    public override string ToString() => Name;
}

/// <summary>A statement that fails, and text the error it raises contains (a SQLSTATE, a name).</summary>
/// <param name="ShowsPosition">The engine says where in the statement it failed, so the CLI puts a caret under it.</param>
public sealed record FailingStatement(string Sql, string ErrorText, bool ShowsPosition);

/// <summary>Keeps runs from finishing until released; disposing releases.</summary>
public abstract class RunBlocker : IAsyncDisposable
{
    /// <summary>SQL to put in a migration where the run must stop; empty when the engine stops runs at commit.</summary>
    public abstract string Statement { get; }

    /// <summary>Waits until a run is held mid-way: it has started applying migrations and cannot finish.</summary>
    public abstract Task WaitUntilBlockedAsync();

    public abstract ValueTask DisposeAsync();
}

/// <summary>A database of one test, looked at over a connection of the test's own.</summary>
public abstract class ConformanceDatabase : IAsyncDisposable
{
    /// <summary>The database setting (<c>DATABASE_URL</c>).</summary>
    public abstract string Setting { get; }

    /// <summary>The tables of <paramref name="schema"/> (the engine's default one when null), sorted by name, history tables included.</summary>
    public abstract Task<IReadOnlyList<string>> TablesAsync(string? schema = null);

    /// <summary>The rows of a table of the default schema.</summary>
    public abstract Task<long> CountAsync(string table);

    public abstract ValueTask DisposeAsync();
}

/// <summary>Polls a condition; a test waits for what it needs to see, never for a duration.</summary>
public static class Condition
{
    public static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"waited 2 minutes for {what}");
            }

            await Task.Delay(25);
        }
    }
}
