using System.Security.Cryptography;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// A new private file (mode 0600) that hashes every byte on its way to the disk, so the checksum of a
/// backup is the checksum of what the dump program produced, computed once, while it is written.
/// Write-only and forward-only.
/// </summary>
public sealed class HashingFileStream : Stream
{
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Action<long>? _progress;
    private long _written;

    private HashingFileStream(FileStream file, Action<long>? progress)
    {
        _file = file;
        _progress = progress;
    }

    /// <summary>Creates <paramref name="path"/>, which must not exist yet; <paramref name="progress"/> hears the bytes written so far.</summary>
    public static HashingFileStream CreateNew(string path, Action<long>? progress = null) => new(PrivateFile.Create(path), progress);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <summary>Flushes everything to the disk and returns the SHA-256 (lower-case hex) and the length of what was written.</summary>
    public async Task<(string Sha256, long Bytes)> CompleteAsync(CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken);
        _file.Flush(flushToDisk: true);
        return (Convert.ToHexStringLower(_hash.GetHashAndReset()), _written);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _file.Write(buffer);
        Count(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _file.WriteAsync(buffer, cancellationToken);
        Count(buffer.Span);
    }

    public override void Flush() => _file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing)
            {
                _file.Dispose();
            }
        }
        finally
        {
            _hash.Dispose();
            base.Dispose(disposing);
        }
    }

    // Only bytes the file accepted count: a write that threw added nothing to the hash.
    private void Count(ReadOnlySpan<byte> written)
    {
        _hash.AppendData(written);
        _written += written.Length;
        _progress?.Invoke(_written);
    }
}
