using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Deploy;

/// <summary>Whether a restored schema was compared with the backup's, and what was found.</summary>
/// <param name="Checked">False when the backup has no recorded schema, or the provider cannot read one.</param>
/// <param name="Comparison">The differences, the backup's schema as expected; null when not checked.</param>
/// <param name="Summary">One sentence for people: <c>schema matches the backup</c>, or why not.</param>
public sealed record RestoreSchemaCheck(bool Checked, SchemaComparison? Comparison, string Summary)
{
    public bool Differs => Comparison?.HasDrift == true;

    /// <summary>For <c>--json</c>: <c>matches</c>, <c>differs</c> or <c>not-checked</c>.</summary>
    public string Status => !Checked ? "not-checked" : Differs ? "differs" : "matches";
}

/// <summary>
/// Compares the schema of a restored database with the schema recorded beside its backup
/// (<see cref="BackupSchemaFile"/>), with the drift check's reader and comparer: a restore is a real
/// restore only when nothing created after the backup survived it and nothing of the backup is missing.
/// </summary>
public static class RestoreVerifier
{
    /// <summary>Compares <paramref name="live"/>, the restored database's schema as the session read it (null when its provider cannot read schemas), with <paramref name="recorded"/>.</summary>
    public static RestoreSchemaCheck Check(IDatabaseSession session, SchemaSnapshot? recorded, string backupPath, DatabaseSchema? live)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (recorded is null)
        {
            return new RestoreSchemaCheck(false, null, $"schema not checked: no {Path.GetFileName(BackupSchemaFile.PathFor(backupPath))} beside the backup");
        }

        if (live is null)
        {
            return new RestoreSchemaCheck(false, null, $"schema not checked: the {session.Target.Provider} provider cannot read schemas");
        }

        // Grants count only when both sides hold them; the record beside a backup does not.
        var comparison = SchemaComparer.Compare(recorded.Schema, live);
        return comparison.HasDrift
            ? new RestoreSchemaCheck(true, comparison, $"schema differs from the backup in {DriftText.Count(comparison.Differences.Count)}")
            : new RestoreSchemaCheck(true, comparison, "schema matches the backup");
    }

    /// <summary>The error (exit 9) for a restored schema that is not the backup's, every difference a finding.</summary>
    public static MigrateException Mismatch(RestoreSchemaCheck check, string backupPath)
    {
        ArgumentNullException.ThrowIfNull(check);
        var differences = check.Comparison?.Differences ?? [];
        var first = differences.Count > 0 ? $" (first: {differences[0]})" : "";
        return new MigrateException(
            FailureKind.Drift,
            $"{backupPath} was restored, but the {check.Summary}{first}: the database holds objects the backup does not, or lacks some it does. Compare with `probeops-migrate drift`, and fix them by hand.",
            [.. differences.Select(d => new Diagnostic(SchemaDiagnosticCodes.Drift, DiagnosticSeverity.Error, d.ToString()))]);
    }
}
