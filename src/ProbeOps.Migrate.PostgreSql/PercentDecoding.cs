using System.Globalization;
using System.Text;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>Percent-decoding of URL parts, by bytes so multi-byte UTF-8 sequences come out whole.</summary>
internal static class PercentDecoding
{
    /// <param name="text">The encoded part.</param>
    /// <param name="what">The part's name for an error ("password", "host"); its text is never shown.</param>
    public static string Decode(string text, string what)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '%')
            {
                var next = text.IndexOf('%', i);
                var end = next < 0 ? text.Length : next;
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end;
                continue;
            }

            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                throw PostgreSqlUrlParser.Malformed($"the {what} has a '%' not followed by two hex digits (write a literal '%' as %25)");
            }

            bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += 3;
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
