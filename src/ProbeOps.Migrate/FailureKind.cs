namespace ProbeOps.Migrate;

/// <summary>
/// Why an operation could not complete. The numeric values are the command-line exit codes
/// (SPEC §9), so every layer speaks of failures the same way.
/// </summary>
public enum FailureKind
{
    Internal = 1,
    Usage = 2,
    InvalidMigrations = 3,
    DatabaseUnreachable = 4,
    VersionMismatch = 5,
    BackupFailed = 6,
    LockTimeout = 7,
    MigrationFailed = 8,
    Drift = 9,
    ConfirmationRequired = 10,
}
