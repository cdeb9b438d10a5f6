using System.Text.Json;
using System.Text.Json.Nodes;
using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// A parsed <c>probeops-migrate.json</c>: the top-level settings and the named environments (SPEC §14).
/// Key names are checked when the file is read, everywhere in it (a typo must not be ignored); values are
/// read, and their <c>${NAME}</c> expanded, only once an environment is selected and only for the keys it
/// ends up using, so a secret of another environment is never needed. A key starting with <c>//</c> is a
/// comment, at the top level, in <c>environments</c> and in an environment: <c>"//production": {...}</c>
/// is a disabled entry, enabled by removing the <c>//</c>.
/// </summary>
public sealed class ConfigFile
{
    public const string EnvironmentsKey = "environments";
    public const string ProtectedKey = "protected";
    public const string CommentPrefix = "//";

    private readonly JsonObject _settings;
    private readonly Dictionary<string, JsonObject> _environments;

    private ConfigFile(string path, JsonObject settings, Dictionary<string, JsonObject> environments)
    {
        Path = path;
        _settings = settings;
        _environments = environments;
    }

    public string Path { get; }

    /// <summary>The environments the file defines (disabled <c>//</c> entries left out), in file order.</summary>
    public IReadOnlyList<string> EnvironmentNames => [.. _environments.Keys];

    /// <summary>Reads and checks <paramref name="path"/>; any problem is a usage error (exit 2) naming the key, never a value.</summary>
    public static ConfigFile Read(string path, IReadOnlyList<string> settingKeys)
    {
        ArgumentNullException.ThrowIfNull(settingKeys);
        var root = Parse(path);
        var settings = new JsonObject();
        var environments = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (key, value) in root)
        {
            if (IsComment(key))
            {
                continue;
            }

            if (key == EnvironmentsKey)
            {
                ReadEnvironments(path, value, settingKeys, environments);
                continue;
            }

            if (!settingKeys.Contains(key, StringComparer.Ordinal))
            {
                var hint = key == ProtectedKey ? " (\"protected\" belongs inside an environment)" : "";
                throw Invalid(path, $"unknown key \"{key}\"{hint}; known keys are {string.Join(", ", settingKeys)}, {EnvironmentsKey}");
            }

            settings[key] = value?.DeepClone();
        }

        return new ConfigFile(path, settings, environments);
    }

    /// <summary>
    /// The settings of <paramref name="environment"/> (null: the top-level ones): every key the environment
    /// gives replaces the top-level one; an object value is merged key by key, the environment's keys winning.
    /// An unknown name is a usage error listing the known ones.
    /// </summary>
    public ConfigValues Select(string? environment, Func<string, string?> variables, string source)
    {
        if (environment is null)
        {
            return new ConfigValues(this, null, false, _settings.ToDictionary(p => p.Key, p => new ConfigValue(p.Value, null)), variables);
        }

        if (!_environments.TryGetValue(environment, out var overrides))
        {
            throw UnknownEnvironment(environment, source, Path, EnvironmentNames);
        }

        var values = _settings.ToDictionary(p => p.Key, p => new ConfigValue(p.Value, null));
        var isProtected = false;
        foreach (var (key, value) in overrides)
        {
            if (key == ProtectedKey)
            {
                isProtected = value!.GetValue<bool>();
            }
            else
            {
                values[key] = new ConfigValue(Merge(values.GetValueOrDefault(key)?.Value, value), environment);
            }
        }

        return new ConfigValues(this, environment, isProtected, values, variables);
    }

    /// <summary>The error for an environment name no config file defines.</summary>
    public static MigrateException UnknownEnvironment(string environment, string source, string? path, IReadOnlyList<string> known)
    {
        var defined = path is null
            ? $"no config file was found ({MigrateSettings.DefaultConfigFileName}, --config or PROBEOPS_MIGRATE_CONFIG), and environments are defined there"
            : known.Count == 0
                ? $"{path} defines no environments (add them under \"{EnvironmentsKey}\")"
                : $"the environments in {path} are {string.Join(", ", known)}";
        return new MigrateException(FailureKind.Usage, $"Unknown environment '{environment}' ({source}): {defined}.");
    }

    private static bool IsComment(string key) => key.StartsWith(CommentPrefix, StringComparison.Ordinal);

    private static JsonNode? Merge(JsonNode? top, JsonNode? environment)
    {
        if (top is not JsonObject topObject || environment is not JsonObject environmentObject)
        {
            return environment?.DeepClone();
        }

        var merged = (JsonObject)topObject.DeepClone();
        foreach (var (key, value) in environmentObject)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static void ReadEnvironments(string path, JsonNode? node, IReadOnlyList<string> settingKeys, Dictionary<string, JsonObject> environments)
    {
        if (node is not JsonObject all)
        {
            throw Invalid(path, $"\"{EnvironmentsKey}\" must be an object of named environments");
        }

        foreach (var (name, value) in all)
        {
            if (IsComment(name))
            {
                continue;
            }

            if (!IsValidName(name))
            {
                throw Invalid(path, $"the environment name \"{name}\" is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit");
            }

            if (value is not JsonObject environment)
            {
                throw Invalid(path, $"environment {name} must be an object of settings");
            }

            foreach (var (key, setting) in environment)
            {
                CheckEnvironmentKey(path, name, key, setting, settingKeys);
            }

            environments[name] = (JsonObject)environment.DeepClone();
        }
    }

    private static void CheckEnvironmentKey(string path, string environment, string key, JsonNode? value, IReadOnlyList<string> settingKeys)
    {
        if (key == ProtectedKey)
        {
            if (value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Invalid(path, $"\"{ProtectedKey}\" of environment {environment} must be true or false");
            }
        }
        else if (!IsComment(key) && !settingKeys.Contains(key, StringComparer.Ordinal))
        {
            throw Invalid(path, $"unknown key \"{key}\" in environment {environment}; an environment may set {string.Join(", ", settingKeys)}, {ProtectedKey}");
        }
    }

    private static bool IsValidName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static JsonObject Parse(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(
                File.ReadAllBytes(path),
                documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"Cannot read config file {path}: {ex.Message.Split('\n')[0].Trim()}");
        }

        return root as JsonObject ?? throw new MigrateException(FailureKind.Usage, $"Config file {path} must hold a JSON object.");
    }

    private static MigrateException Invalid(string path, string problem) => new(FailureKind.Usage, $"Config file {path}: {problem}.");

    /// <summary>One effective setting and the environment that gave it (null: the top level).</summary>
    internal sealed record ConfigValue(JsonNode? Value, string? Environment);
}

/// <summary>The settings of one selected environment (or of the top level), read with <c>${NAME}</c> expanded.</summary>
public sealed class ConfigValues
{
    private readonly ConfigFile? _file;
    private readonly IReadOnlyDictionary<string, ConfigFile.ConfigValue> _values;
    private readonly Func<string, string?> _variables;

    internal ConfigValues(ConfigFile? file, string? environment, bool isProtected, IReadOnlyDictionary<string, ConfigFile.ConfigValue> values, Func<string, string?> variables)
    {
        _file = file;
        Environment = environment;
        Protected = isProtected;
        _values = values;
        _variables = variables;
    }

    /// <summary>No config file: no values.</summary>
    public static ConfigValues None { get; } = new(null, null, false, new Dictionary<string, ConfigFile.ConfigValue>(), _ => null);

    public string? Environment { get; }

    public bool Protected { get; }

    /// <summary>The <c>lint</c> object (rule severities, disabled rules), checked against the rule catalogue.</summary>
    public LintSettings Lint
    {
        get
        {
            if (!_values.TryGetValue("lint", out var setting) || setting.Value is not { } lint)
            {
                return LintSettings.Default;
            }

            using var document = JsonDocument.Parse(lint.ToJsonString());
            return LintSettings.Read(document.RootElement, _file!.Path, LintCatalogue.Codes);
        }
    }

    /// <summary>The <c>placeholders</c> object (an environment's merged over the top level's, name by name).</summary>
    public IReadOnlyDictionary<string, string> Placeholders
    {
        get
        {
            if (!_values.TryGetValue("placeholders", out var setting) || setting.Value is not { } placeholders)
            {
                return new Dictionary<string, string>();
            }

            using var document = JsonDocument.Parse(placeholders.ToJsonString());
            return PlaceholderSettings.Read(document.RootElement, _file!.Path);
        }
    }

    /// <summary>A string (or number) setting with <c>${NAME}</c> expanded; null when the file does not give it.</summary>
    public string? Get(string key)
    {
        if (!_values.TryGetValue(key, out var setting) || setting.Value is null)
        {
            return null;
        }

        var where = $"Config file {_file!.Path}: \"{key}\"" + (setting.Environment is null ? "" : $" of environment {setting.Environment}");
        return setting.Value.GetValueKind() switch
        {
            JsonValueKind.String => VariableExpander.Expand(setting.Value.GetValue<string>(), _variables, where),
            JsonValueKind.Number => setting.Value.ToJsonString(),
            _ => throw new MigrateException(FailureKind.Usage, $"{where} must be a string."),
        };
    }
}
