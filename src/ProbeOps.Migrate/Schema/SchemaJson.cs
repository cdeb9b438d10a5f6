using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ProbeOps.Migrate.Schema;

/// <summary>
/// Reads and writes <see cref="SchemaSnapshot"/> files. Source-generated (no reflection); a
/// property equal to its default (false, none, an empty list) is left out, so a table with no
/// triggers says nothing about triggers and the file stays short enough to review.
/// </summary>
public static class SchemaJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Write(SchemaSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return JsonSerializer.Serialize(snapshot, (JsonTypeInfo<SchemaSnapshot>)Options.GetTypeInfo(typeof(SchemaSnapshot))) + "\n";
    }

    /// <summary>Parses a snapshot; throws <see cref="MigrateException"/> (Usage) naming <paramref name="source"/> when it is not one this version reads.</summary>
    public static SchemaSnapshot Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        SchemaSnapshot? snapshot;
        try
        {
            snapshot = JsonSerializer.Deserialize(json, (JsonTypeInfo<SchemaSnapshot>)Options.GetTypeInfo(typeof(SchemaSnapshot)));
        }
        catch (JsonException ex)
        {
            throw new MigrateException(FailureKind.Usage, $"{source} is not a schema snapshot: {ex.Message}", ex);
        }

        if (snapshot is null || !string.Equals(snapshot.Format, SchemaSnapshot.FormatName, StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, $"{source} is not a schema snapshot (format \"{snapshot?.Format}\", expected \"{SchemaSnapshot.FormatName}\").");
        }

        if (snapshot.Version != SchemaSnapshot.CurrentVersion)
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"{source} is a version {snapshot.Version} schema snapshot; this tool reads version {SchemaSnapshot.CurrentVersion}: write it again with `probeops-migrate snapshot`.");
        }

        return snapshot with { Schema = snapshot.Schema.Normalized() };
    }

    public static byte[] WriteUtf8(SchemaSnapshot snapshot) => Encoding.UTF8.GetBytes(Write(snapshot));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(SchemaJsonContext.Default.Options)
        {
            TypeInfoResolver = SchemaJsonContext.Default.WithAddedModifier(LeaveOutDefaults),

            // A file for people and diffs, never embedded in HTML: quotes stay quotes.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Leaves out what reads back the same when missing: null, false, zero and empty lists (a missing
    /// list reads as null and <see cref="DatabaseSchema.Normalized"/> makes it empty). Properties whose
    /// default is anything else are always written, because generated readers of init-only properties
    /// give a missing one its type's default, not its initial value.
    /// </summary>
    private static void LeaveOutDefaults(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            property.ShouldSerialize = static (_, value) => value switch
            {
                null => false,
                false => false,
                0 or 0L => false,
                ICollection collection => collection.Count > 0,
                _ => true,
            };
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NewLine = "\n",
    IndentSize = 2,
    UseStringEnumConverter = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SchemaSnapshot))]
internal sealed partial class SchemaJsonContext : JsonSerializerContext;
