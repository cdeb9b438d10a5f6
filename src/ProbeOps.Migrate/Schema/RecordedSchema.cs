using System.Security.Cryptography;
using System.Text;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Schema;

/// <summary>
/// The schema a database had after the tool last changed it, kept in <c>&lt;history table&gt;_schema</c>:
/// what drift compares against when no shadow database can be had.
/// </summary>
/// <param name="RecordedAt">When it was read.</param>
/// <param name="DeployId">The run that recorded it.</param>
/// <param name="HistoryHash">The history it was recorded with (<see cref="HashOf"/>): a record of another history is stale.</param>
/// <param name="ServerVersion">The server it was read on: text the server prints may change with its major version.</param>
/// <param name="Json">The schema, as <see cref="Schema.SchemaJson"/> writes a snapshot.</param>
public sealed record RecordedSchema(DateTimeOffset RecordedAt, string DeployId, string HistoryHash, string ServerVersion, string Json)
{
    /// <summary>SHA-256 over the applied revisions and their checksums, in revision order: the history a record belongs to.</summary>
    public static string HashOf(IEnumerable<AppliedRevision> applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var lines = applied.Select(a => a.Revision + "\t" + a.Checksum + "\n").Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(lines))));
    }
}
