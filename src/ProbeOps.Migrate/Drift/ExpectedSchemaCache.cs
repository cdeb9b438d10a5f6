using System.Security.Cryptography;
using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>
/// Expected schemas already computed, one file per key, in the user's cache directory: a second
/// run over the same migrations on the same server version does not replay them. The key is a
/// hash of the migrations replayed (ids and checksums, in order), the provider and the server's
/// major version, whether privileges were read, the history table settings and the format version.
/// A file that cannot be read is a miss; one that cannot be written is skipped: the cache never
/// fails a check.
/// </summary>
public sealed class ExpectedSchemaCache(string directory)
{
    /// <summary>Overrides the cache directory.</summary>
    public const string DirectoryVariable = UserCache.DirectoryVariable;

    public string Directory { get; } = directory;

    /// <summary>
    /// <c>$PROBEOPS_MIGRATE_CACHE_DIR</c>, else the platform's per-user cache directory
    /// (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c> on Linux, <c>~/Library/Caches</c> on macOS,
    /// <c>%LOCALAPPDATA%</c> on Windows) with <c>probeops-migrate/expected-schema</c> under it.
    /// </summary>
    public static string DefaultDirectory(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return UserCache.Explicit(environment) ?? Path.Combine(UserCache.Root(environment), "expected-schema");
    }

    /// <summary>SHA-256 over the ids and checksums of <paramref name="revisions"/>, in order: what a snapshot records.</summary>
    public static string MigrationsHash(IEnumerable<Revision> revisions) => MigrationsHash(revisions, []);

    /// <summary>
    /// <see cref="MigrationsHash(IEnumerable{Revision})"/> of <paramref name="revisions"/> followed by the names and
    /// checksums of <paramref name="repeatables"/>; without repeatables, the same as the revisions' alone.
    /// </summary>
    public static string MigrationsHash(IEnumerable<Revision> revisions, IReadOnlyList<RepeatableMigration> repeatables)
    {
        ArgumentNullException.ThrowIfNull(repeatables);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var revision in revisions)
        {
            Append(hash, revision);
        }

        foreach (var repeatable in repeatables)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{repeatable.Id}\t{repeatable.Checksum}\trepeatable\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The migrations hash of every prefix of <paramref name="order"/>: element i is the hash of the first i revisions.</summary>
    public static IReadOnlyList<string> PrefixHashes(IReadOnlyList<Revision> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashes = new string[order.Count + 1];
        hashes[0] = Convert.ToHexStringLower(hash.GetCurrentHash());
        for (var i = 0; i < order.Count; i++)
        {
            Append(hash, order[i]);
            hashes[i + 1] = Convert.ToHexStringLower(hash.GetCurrentHash());
        }

        return hashes;
    }

    private static void Append(IncrementalHash hash, Revision revision)
    {
        var file = revision.File;
        var line = $"{revision.Id}\t{file?.Checksum}\t{(file?.IsUpgradeTransactional ?? true ? "tx" : "no-tx")}\n";
        hash.AppendData(Encoding.UTF8.GetBytes(line));
    }

    /// <summary>The cache key of an expected schema.</summary>
    public static string Key(string migrationsHash, string provider, int serverMajor, bool includePrivileges, HistoryTableName history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var text = string.Join(
            "\n",
            $"format {SchemaSnapshot.CurrentVersion}",
            ToolInfo.Version,
            provider,
            serverMajor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            includePrivileges ? "privileges" : "no-privileges",
            history.Schema ?? "",
            history.Table,
            migrationsHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public SchemaSnapshot? TryGet(string key)
    {
        var path = PathOf(key);
        try
        {
            return File.Exists(path) ? SchemaJson.Read(File.ReadAllText(path), path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MigrateException)
        {
            return null;
        }
    }

    /// <summary>Writes atomically (a temporary file renamed over the key's); returns a sentence when it could not.</summary>
    public string? TryPut(string key, SchemaSnapshot snapshot)
    {
        var path = PathOf(key);
        var temporary = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllBytes(temporary, SchemaJson.WriteUtf8(snapshot));
            File.Move(temporary, path, overwrite: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the cache is an optimisation.
            }

            return $"The expected-schema cache could not be written to {Directory}: {ex.Message}";
        }
    }

    private string PathOf(string key) => Path.Combine(Directory, key + ".json");
}
