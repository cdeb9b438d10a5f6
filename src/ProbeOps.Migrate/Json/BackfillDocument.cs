using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Json;

/// <summary>One backfill a run finished or resumed, as <c>upgrade --json</c> and the deployment report write it.</summary>
public sealed record BackfillDocument(
    string Revision, int FirstStatement, int Statements, long Runs, long Rows, double ElapsedMs, double RowsPerSecond, bool Resumed, bool Finished)
{
    public static IReadOnlyList<BackfillDocument> All(IEnumerable<BackfillResult> backfills) => backfills
        .Select(b => new BackfillDocument(
            b.Revision, b.FirstStatement, b.Statements, b.Runs, b.Rows, Math.Round(b.Elapsed.TotalMilliseconds), Math.Round(b.RowsPerSecond), b.Resumed, b.Finished))
        .ToList();
}

/// <summary>A backup as <c>backup --json</c> and the deployment report describe it.</summary>
public sealed record BackupDocument(string Path, string Sha256, long Bytes, string ChecksumFile, double ElapsedMs, IReadOnlyList<string> Removed)
{
    public static BackupDocument From(Deploy.BackupInfo b) =>
        new(b.Path, b.Sha256, b.Bytes, b.ChecksumFile, Math.Round(b.Elapsed.TotalMilliseconds), b.Removed);
}
