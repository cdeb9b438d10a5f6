using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ProbeOps.Migrate.Files;

/// <summary>The checksum recorded for an applied migration (SPEC §2).</summary>
public static class MigrationChecksum
{
    /// <summary>Lower-case hex SHA-256 of a section body already normalised to <c>\n</c> line endings.</summary>
    public static string Compute(string sectionBody)
    {
        ArgumentNullException.ThrowIfNull(sectionBody);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(sectionBody.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(sectionBody, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
