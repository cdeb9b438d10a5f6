using System.Buffers;
using System.Text.Unicode;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Files;

/// <summary>
/// Strict UTF-8 decoding of a migration file: a leading byte-order mark is dropped and CRLF or lone CR become
/// <c>\n</c>. Invalid bytes, a UTF-16 byte-order mark or a NUL byte are PM102 with the line, since nothing after
/// them can be trusted.
/// </summary>
internal static class MigrationFileDecoder
{
    public static bool TryDecode(ReadOnlySpan<byte> content, ParseDiagnostics diagnostics, out string text)
    {
        text = "";
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            content = content[3..];

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            diagnostics.Error(DiagnosticCodes.InvalidEncoding, "file is UTF-16 encoded; save it as UTF-8", 1);
            return false;
        }

        var nul = content.IndexOf((byte)0);
        if (nul >= 0)
        {
            diagnostics.Error(DiagnosticCodes.InvalidEncoding,
                "file contains a NUL byte, which is not SQL text; save it as UTF-8 (is it UTF-16 or binary?)",
                LineOfByte(content, nul));
            return false;
        }

        var chars = ArrayPool<char>.Shared.Rent(Math.Max(content.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(content, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                diagnostics.Error(DiagnosticCodes.InvalidEncoding,
                    $"file is not valid UTF-8 (byte 0x{content[read]:X2} cannot start or continue a character); save it as UTF-8",
                    LineOfByte(content, read));
                return false;
            }

            text = new string(chars, 0, NormaliseLineEndings(chars, written));
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>CRLF and lone CR become \n, compacting in place; returns the new length.</summary>
    private static int NormaliseLineEndings(char[] chars, int written)
    {
        var length = 0;
        for (var i = 0; i < written; i++)
        {
            var c = chars[i];
            if (c == '\r')
            {
                c = '\n';
                if (i + 1 < written && chars[i + 1] == '\n')
                    i++;
            }

            chars[length++] = c;
        }

        return length;
    }

    private static int LineOfByte(ReadOnlySpan<byte> content, int index)
    {
        // Counts line breaks the way the text is normalised: CRLF, lone CR and LF each end a line.
        var line = 1;
        for (var i = 0; i < index && i < content.Length; i++)
        {
            var b = content[i];
            if (b == (byte)'\n' || (b == (byte)'\r' && (i + 1 >= content.Length || content[i + 1] != (byte)'\n')))
                line++;
        }

        return line;
    }
}
