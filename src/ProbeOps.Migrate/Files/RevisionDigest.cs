using System.Security.Cryptography;
using System.Text;

namespace ProbeOps.Migrate.Files;

/// <summary>
/// One SHA-256 over a set of revisions and their checksums: a line <c>revision TAB checksum LF</c> per revision, sorted by
/// the revision's UTF-8 bytes. The files' set and the history's set have the same digest exactly when every revision of the
/// one is in the other with the same checksum. A database computes it on its side where it can (PostgreSQL: <c>sha256</c>
/// over <c>string_agg</c> in <c>COLLATE "C"</c> order), so a history of 10,000 rows comes back as one line.
/// </summary>
public static class RevisionDigest
{
    public static string Of(IEnumerable<(string Revision, string Checksum)> revisions)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        var lines = revisions.Select(r => Encoding.UTF8.GetBytes($"{r.Revision}\t{r.Checksum}\n")).ToList();
        lines.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            hash.AppendData(line);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
