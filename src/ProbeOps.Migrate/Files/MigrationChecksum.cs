namespace ProbeOps.Migrate.Files;

/// <summary>The checksum recorded for an applied migration (SPEC §2).</summary>
public static class MigrationChecksum
{
    /// <summary>Lower-case hex SHA-256 of a section body already normalised to <c>\n</c> line endings.</summary>
    public static string Compute(string sectionBody) => throw new NotImplementedException();
}
