using System.Text.Json;
using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Fleet;

/// <summary>
/// Reads a targets file (SPEC §12). Every problem is a usage error (exit 2) naming the file and the key or
/// target, never a value: a <c>database</c> may hold a password. Unknown keys are errors, like everywhere
/// else in the tool's files: a typo must not be ignored. <c>${NAME}</c> in a <c>database</c> or
/// <c>template</c> is read from the environment here, so a missing variable stops the command before any
/// target starts.
/// </summary>
public static class TargetsFile
{
    private static readonly string[] FileKeys = ["parallel", "waves", "onError", "targets"];
    private static readonly string[] TargetKeys = ["name", "database", "schema", "wave"];
    private static readonly string[] DiscoverKeys = ["database", "query", "template", "schema", "name", "wave"];

    public static FleetDefinition Read(string path, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(variables);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"The targets file {path} cannot be read: {ex.Message.Split('\n')[0].Trim()}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"it is not valid JSON (line {ex.LineNumber + 1})");
        }

        using (document)
        {
            return Read(path, document.RootElement, variables);
        }
    }

    private static FleetDefinition Read(string path, JsonElement root, Func<string, string?> variables)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "it must hold one JSON object with a \"targets\" array");
        }

        CheckKeys(path, root, FileKeys, "the top level");
        var parallel = root.TryGetProperty("parallel", out var p) ? ReadParallel(path, p) : 1;
        var waves = root.TryGetProperty("waves", out var w) ? ReadStrings(path, w, "\"waves\"") : [];
        if (waves.Distinct(StringComparer.Ordinal).Count() != waves.Count)
        {
            throw Invalid(path, "\"waves\" names a wave twice");
        }

        var onError = root.TryGetProperty("onError", out var e) ? ReadPolicy(path, e) : FleetErrorPolicy.Stop;
        if (!root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Array || targets.GetArrayLength() == 0)
        {
            throw Invalid(path, "\"targets\" must be a non-empty array");
        }

        var reader = new EntryReader(path, waves, variables);
        var entries = targets.EnumerateArray().Select((entry, index) => reader.Read(entry, index)).ToList();
        return new FleetDefinition(path, parallel, waves, onError, entries);
    }

    /// <summary>Reads the entries of the <c>targets</c> array.</summary>
    private sealed class EntryReader(string path, IReadOnlyList<string> waves, Func<string, string?> variables)
    {
        public object Read(JsonElement entry, int index)
        {
            var where = $"target {index + 1}";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, $"{where} must be an object");
            }

            if (entry.TryGetProperty("discover", out var discover))
            {
                if (entry.EnumerateObject().Count() != 1)
                {
                    throw Invalid(path, $"{where} holds \"discover\" and other keys: a discovery entry holds \"discover\" alone");
                }

                return ReadDiscovery(discover, $"the discovery of {where}");
            }

            CheckKeys(path, entry, TargetKeys, where);
            var name = Required(entry, "name", where);
            where = $"target \"{name}\"";
            FleetNames.Check(name, () => Invalid(path, $"{where}: {FleetNames.Rule}"));
            var database = Expand(Required(entry, "database", where), $"\"database\" of {where}");
            return new FleetTarget(name, database, Optional(entry, "schema", where), Wave(entry, where), index);
        }

        private TargetDiscovery ReadDiscovery(JsonElement discover, string where)
        {
            if (discover.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, $"{where} must be an object");
            }

            CheckKeys(path, discover, DiscoverKeys, where);
            var database = Expand(Required(discover, "database", where), $"\"database\" of {where}");
            var template = Optional(discover, "template", where) is { } t ? Expand(t, $"\"template\" of {where}") : null;
            var schema = Optional(discover, "schema", where);
            if (template is null && schema is null)
            {
                throw Invalid(path, $"{where} needs a \"template\" (a database per name) or a \"schema\" (a schema per name)");
            }

            return new TargetDiscovery(
                database, Required(discover, "query", where), template, schema, Optional(discover, "name", where) ?? "{name}", Wave(discover, where), where);
        }

        private string Wave(JsonElement entry, string where)
        {
            var wave = Optional(entry, "wave", where);
            if (wave is null)
            {
                return waves.Count == 0 ? FleetDefinition.DefaultWave : waves[^1];
            }

            return waves.Contains(wave, StringComparer.Ordinal)
                ? wave
                : throw Invalid(path, $"{where} is in wave \"{wave}\", which \"waves\" does not list ({(waves.Count == 0 ? "none listed" : string.Join(", ", waves))})");
        }

        private string Expand(string text, string where) => VariableExpander.Expand(text, variables, $"{where} in {path}");

        private string Required(JsonElement entry, string key, string where) =>
            Optional(entry, key, where) ?? throw Invalid(path, $"{where} has no \"{key}\"");

        private string? Optional(JsonElement entry, string key, string where)
        {
            if (!entry.TryGetProperty(key, out var value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : throw Invalid(path, $"\"{key}\" of {where} must be a non-empty string");
        }
    }

    private static int ReadParallel(string path, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 1
            ? n
            : throw Invalid(path, "\"parallel\" must be a whole number of at least 1");

    private static FleetErrorPolicy ReadPolicy(string path, JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() switch
    {
        "stop" => FleetErrorPolicy.Stop,
        "continue" => FleetErrorPolicy.Continue,
        _ => throw Invalid(path, "\"onError\" must be \"stop\" or \"continue\""),
    } : throw Invalid(path, "\"onError\" must be \"stop\" or \"continue\"");

    private static List<string> ReadStrings(string path, JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 })
            ? [.. value.EnumerateArray().Select(v => v.GetString()!)]
            : throw Invalid(path, $"{what} must be an array of non-empty strings");

    private static void CheckKeys(string path, JsonElement element, string[] known, string where)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Invalid(path, $"{where} has an unknown key \"{property.Name}\"; known keys are {string.Join(", ", known)}");
            }
        }
    }

    internal static MigrateException Invalid(string path, string problem) =>
        new(FailureKind.Usage, $"The targets file {path} is not valid: {problem}.");
}

/// <summary>Target names: they name a folder of backups and a line of every report, so they are kept plain.</summary>
public static class FleetNames
{
    public const string Rule = "a target name is 1 to 63 letters, digits, '_', '-' or '.', not starting with '.'";

    public static void Check(string name, Func<MigrateException> invalid)
    {
        if (name.Length is 0 or > 63 || name[0] == '.' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw invalid();
        }
    }
}
