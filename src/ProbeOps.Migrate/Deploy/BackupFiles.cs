namespace ProbeOps.Migrate.Deploy;

/// <summary>The file operations every backup shares: private creation, quiet removal, and failures in plain words.</summary>
public static class BackupFiles
{
    private const int Eperm = 1;
    private const int Eio = 5;
    private const int Eacces = 13;
    private const int Enospc = 28;
    private const int Erofs = 30;

    /// <summary>
    /// Writes a small private file that must not exist yet, through to the disk. A file it created
    /// but could not finish is deleted again; a file that was there before is never touched.
    /// </summary>
    public static void WritePrivate(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var stream = PrivateFile.Create(path);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Deletes a file if it can; returns whether it is gone.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the operator; the failure that brought us here matters more.
            return false;
        }
    }

    /// <summary>
    /// Why reading or writing a file failed, in words of our own: the runtime's messages may be bare
    /// resource keys when the tool is trimmed, and on Unix an <see cref="IOException"/> carries the errno.
    /// </summary>
    public static string Describe(Exception ex)
    {
        if (ex is UnauthorizedAccessException)
        {
            return "permission denied";
        }

        return ex.HResult switch
        {
            Enospc => "no space left on device",
            Erofs => "read-only file system",
            Eacces or Eperm => "permission denied",
            Eio => "input/output error",
            _ when IsQuotaExceeded(ex.HResult) => "disk quota exceeded",
            _ => $"{ex.GetType().Name} ({ex.Message.TrimEnd('.')})",
        };
    }

    private static bool IsQuotaExceeded(int errno) =>
        (OperatingSystem.IsLinux() && errno == 122) || (OperatingSystem.IsMacOS() && errno == 69);
}
