namespace ProbeOps.Migrate.Files;

/// <summary>Reads every <c>*.sql</c> migration file of a directory.</summary>
public static class MigrationDirectory
{
    /// <summary>Loads and parses the directory; a missing or unreadable directory is a diagnostic, not an exception.</summary>
    public static MigrationSet Load(string directory) => throw new NotImplementedException();
}
