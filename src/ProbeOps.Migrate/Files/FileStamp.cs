using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ProbeOps.Migrate.Files;

/// <summary>
/// What the file system says about a file, as git's index keeps it: size, modification and change times (to the
/// nanosecond), inode and device. Writing a file's content always moves its change time, which no user tool can set
/// back, so a file whose stamp is unchanged has not been written since (the "racily clean" case aside, see
/// <see cref="FileStatCache"/>).
/// </summary>
internal readonly record struct FileStamp(long Size, long ModifiedNanoseconds, long ChangedNanoseconds, ulong Inode, ulong Device)
{
    /// <summary>The later of the modification and change times.</summary>
    public long LatestNanoseconds => Math.Max(ModifiedNanoseconds, ChangedNanoseconds);

    /// <summary>Whether stamps can be read here: Linux only (<c>statx</c>), elsewhere the cache stays off.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The stamp of <paramref name="path"/> (following symbolic links), or null when it cannot be read.</summary>
    public static FileStamp? Of(string path) => IsSupported ? Of(AtCurrentDirectory, path) : null;

    /// <summary>
    /// The stamps of the files <paramref name="names"/> (or paths) of <paramref name="directory"/>, taken in parallel and
    /// looked up by name from the open directory: the kernel walks one path component per file instead of the whole path.
    /// </summary>
    public static FileStamp?[] InDirectory(string directory, string[] names)
    {
        var stamps = new FileStamp?[names.Length];
        if (!IsSupported)
            return stamps;
        var handle = OpenDirectory(directory);
        try
        {
            Parallel.For(0, names.Length, i => stamps[i] = handle >= 0
                ? Of(handle, Path.GetFileName(names[i]))
                : Of(AtCurrentDirectory, Path.Join(directory, Path.GetFileName(names[i]))));
        }
        finally
        {
            if (handle >= 0)
                _ = NativeMethods.Close(handle);
        }

        return stamps;
    }

    /// <summary>A handle on <paramref name="directory"/> good only for looking names up in it (<c>O_PATH</c>); -1 when it cannot be had.</summary>
    private static int OpenDirectory(string directory)
    {
        try
        {
            return NativeMethods.Open(directory, OpenPathOnly | CloseOnExec);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return -1;
        }
    }

    private static FileStamp? Of(int directory, string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        try
        {
            if (NativeMethods.Statx(directory, path, 0, BasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
                return null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }

        // struct statx (linux/stat.h): stx_ino at 32, stx_size at 40, stx_ctime at 96, stx_mtime at 112 (each a
        // 64-bit second and a 32-bit nanosecond), stx_dev_major and stx_dev_minor at 136 and 140.
        return new FileStamp(
            BinaryPrimitives.ReadInt64LittleEndian(buffer[40..]),
            Nanoseconds(buffer[112..]),
            Nanoseconds(buffer[96..]),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]),
            ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]));
    }

    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        (BinaryPrimitives.ReadInt64LittleEndian(timestamp) * 1_000_000_000L) + BinaryPrimitives.ReadUInt32LittleEndian(timestamp[8..]);

    private const int StatxSize = 256;
    private const int AtCurrentDirectory = -100;

    // O_PATH and O_CLOEXEC have these values on every Linux architecture the tool is built for (x64, arm64).
    private const int OpenPathOnly = 0x200000;
    private const int CloseOnExec = 0x80000;
    private const uint BasicStats = 0x7ff;
}

internal static partial class NativeMethods
{
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int handle);
}
