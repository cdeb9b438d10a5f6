namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Write-only: every byte goes to the backup file first, then to a reader that checks it as it comes
/// (<c>pg_restore</c>'s standard input). A failed write to the file throws as it would without the reader;
/// a reader that stopped reading (it exited on an error of its own, which its exit code reports) is left
/// out from then on, so the file is still written through and the reader's error is the one reported.
/// </summary>
internal sealed class PgTeeStream(Stream file, Stream reader) : Stream
{
    /// <summary>Whether the reader stopped taking bytes before the end.</summary>
    public bool ReaderStopped { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await file.WriteAsync(buffer, cancellationToken);
        if (ReaderStopped)
        {
            return;
        }

        try
        {
            await reader.WriteAsync(buffer, cancellationToken);
        }
        catch (IOException)
        {
            ReaderStopped = true;
        }
    }

    public override void Flush() => file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
