using System.Text.Json;

namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// The <c>placeholders</c> setting: an object of names and string values in the config file, and
/// <c>--placeholder name=value</c> flags, which win name by name.
/// </summary>
internal static class PlaceholderSettings
{
    /// <summary>The config file's <c>placeholders</c> object; anything but names with string values is a usage error.</summary>
    public static IReadOnlyDictionary<string, string> Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new MigrateException(FailureKind.Usage, $"Config file {path}: \"placeholders\" must be an object of names and values, e.g. {{\"app_role\": \"app\"}}.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            RequireName(property.Name, $"Config file {path}: placeholder");
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => throw new MigrateException(FailureKind.Usage, $"Config file {path}: placeholder \"{property.Name}\" must be a string."),
            };
        }

        return values;
    }

    /// <summary>The file's values with each <c>name=value</c> flag laid over them.</summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> fromFile, IReadOnlyList<string> flags)
    {
        var values = new Dictionary<string, string>(fromFile, StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new MigrateException(FailureKind.Usage, $"--placeholder '{flag}' is not NAME=VALUE.");
            }

            var name = flag[..equals];
            RequireName(name, "--placeholder");
            values[name] = flag[(equals + 1)..];
        }

        return values;
    }

    /// <summary>A name is what <c>${name}</c> can hold: a letter or <c>_</c>, then letters, digits or <c>_</c>.</summary>
    private static void RequireName(string name, string what)
    {
        var valid = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_')
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (!valid)
        {
            throw new MigrateException(FailureKind.Usage, $"{what} name '{name}' is not valid: use letters, digits and _, starting with a letter or _.");
        }
    }
}
