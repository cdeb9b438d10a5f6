namespace ProbeOps.Migrate;

/// <summary>
/// Files only their owner may read (mode 0600 on Unix), created with that mode, so there is no moment
/// when another user could open them: deployment logs and reports name databases, users and hosts.
/// </summary>
public static class PrivateFile
{
    /// <summary>Creates <paramref name="path"/>, which must not exist yet, and writes <paramref name="bytes"/> to it.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }
}
