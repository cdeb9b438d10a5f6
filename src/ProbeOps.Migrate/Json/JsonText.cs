using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ProbeOps.Migrate.Json;

/// <summary>
/// Serializes a document the way every JSON output of the tool reads: indented, and with <c>+</c>,
/// apostrophes and non-ASCII letters written as themselves (docs/decisions/0023-json-output.md).
/// The type info comes from a source-generated context, so nothing here needs reflection.
/// </summary>
public static class JsonText
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // The output is read by JSON parsers and people, never embedded in HTML: only what JSON itself
        // requires is escaped (quotes, backslashes, control characters).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToUtf8<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="value"/> and a line end to <paramref name="output"/>.</summary>
    public static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> typeInfo) =>
        output.Write(System.Text.Encoding.UTF8.GetString(ToUtf8(value, typeInfo)));
}
