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
    /// <summary>New objects of each type, for their defaults (init-only properties leave the generated metadata without a factory).</summary>
    private static readonly Dictionary<Type, Func<object>> Fresh = new()
    {
        [typeof(SchemaSnapshot)] = () => new SchemaSnapshot(),
        [typeof(DatabaseSchema)] = () => new DatabaseSchema(),
        [typeof(SchemaDefinition)] = () => new SchemaDefinition(),
        [typeof(ExtensionDefinition)] = () => new ExtensionDefinition(),
        [typeof(TypeDefinition)] = () => new TypeDefinition(),
        [typeof(SequenceDefinition)] = () => new SequenceDefinition(),
        [typeof(SequenceOptions)] = () => new SequenceOptions(),
        [typeof(TableDefinition)] = () => new TableDefinition(),
        [typeof(ColumnDefinition)] = () => new ColumnDefinition(),
        [typeof(IdentityDefinition)] = () => new IdentityDefinition(),
        [typeof(ConstraintDefinition)] = () => new ConstraintDefinition(),
        [typeof(IndexDefinition)] = () => new IndexDefinition(),
        [typeof(TriggerDefinition)] = () => new TriggerDefinition(),
        [typeof(PolicyDefinition)] = () => new PolicyDefinition(),
        [typeof(ViewDefinition)] = () => new ViewDefinition(),
        [typeof(RoutineDefinition)] = () => new RoutineDefinition(),
    };

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
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Leaves out every property whose value equals the one a new object has, and every empty list.</summary>
    private static void LeaveOutDefaults(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !Fresh.TryGetValue(info.Type, out var create))
        {
            return;
        }

        var fresh = create();
        foreach (var property in info.Properties)
        {
            if (property.Get is null)
            {
                continue;
            }

            var initial = property.Get(fresh);
            property.ShouldSerialize = (_, value) => value switch
            {
                null => false,
                string text when initial is string initialText => !string.Equals(text, initialText, StringComparison.Ordinal),
                ICollection { Count: 0 } => false,
                ICollection => true,
                _ => !Equals(value, initial) || IsRecord(value),
            };
        }
    }

    // A nested object (an identity's sequence options) is always written when present: its own defaults are left out inside it.
    private static bool IsRecord(object value) => value is SequenceOptions or IdentityDefinition or DatabaseSchema;
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
