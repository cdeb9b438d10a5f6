namespace ProbeOps.Migrate;

/// <summary>
/// Files only their owner may read (mode 0600 on Unix), created with that mode, so there is no moment
/// when another user could open them: deployment logs and reports name databases, users and hosts.
/// </summary>
public static class PrivateFile
{
    /// <summary>
    /// Creates <paramref name="path"/>, which must not exist yet, with mode 0600 before any byte is
    /// written, so it is never readable by others, not even while it is being written.
    /// </summary>
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    /// <summary>Creates <paramref name="path"/>, which must not exist yet, and writes <paramref name="bytes"/> to it.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = Create(path);
        stream.Write(bytes);
    }
}
