using System.Text.Json;
using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// The <c>lint</c> object of the config file: rule severities changed or turned off
/// (<c>"lint": { "rules": { "PL101": "warning", "PL105": "off" } }</c>). A code the catalogue does not
/// know, or a severity other than <c>error</c>, <c>warning</c>, <c>notice</c> or <c>off</c>, is a usage
/// error: a typo must not silently leave a rule on.
/// </summary>
public sealed record LintSettings
{
    public const string Off = "off";

    public static LintSettings Default { get; } = new();

    public IReadOnlyDictionary<string, LintSeverity> Severities { get; init; } = new Dictionary<string, LintSeverity>(StringComparer.Ordinal);

    public IReadOnlySet<string> Disabled { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The options the linter takes, with what the run knows besides the configuration.</summary>
    public LintOptions ToOptions(Version? serverVersion, IReadOnlySet<string>? pending, bool singleTransaction = true) => new()
    {
        ServerVersion = serverVersion,
        PendingRevisions = pending,
        SingleTransaction = singleTransaction,
        SeverityOverrides = Severities,
        DisabledRules = Disabled,
    };

    /// <summary>Reads the <c>lint</c> object of the config file at <paramref name="path"/>; <paramref name="knownCodes"/> is the rule catalogue.</summary>
    public static LintSettings Read(JsonElement lint, string path, IReadOnlySet<string> knownCodes)
    {
        if (lint.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "\"lint\" must be an object such as { \"rules\": { \"PL101\": \"warning\" } }.");
        }

        var severities = new Dictionary<string, LintSeverity>(StringComparer.Ordinal);
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in lint.EnumerateObject())
        {
            if (property.Name != "rules")
            {
                throw Invalid(path, $"unknown key \"lint.{property.Name}\"; the lint object holds \"rules\".");
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "\"lint.rules\" must be an object of rule codes and severities.");
            }

            foreach (var rule in property.Value.EnumerateObject())
            {
                if (!knownCodes.Contains(rule.Name))
                {
                    throw Invalid(path, $"lint rule \"{rule.Name}\" is unknown; known rules are {string.Join(", ", knownCodes.Order(StringComparer.Ordinal))}.");
                }

                var value = rule.Value.ValueKind == JsonValueKind.String ? rule.Value.GetString() : null;
                if (value == Off)
                {
                    disabled.Add(rule.Name);
                }
                else
                {
                    severities[rule.Name] = ParseSeverity(value) ?? throw Invalid(
                        path, $"lint rule \"{rule.Name}\" has severity {rule.Value.GetRawText()}; use \"error\", \"warning\", \"notice\" or \"off\".");
                }
            }
        }

        return new LintSettings { Severities = severities, Disabled = disabled };
    }

    /// <summary><c>error</c>, <c>warning</c> or <c>notice</c> as a severity; null for anything else.</summary>
    public static LintSeverity? ParseSeverity(string? text) => text switch
    {
        "error" => LintSeverity.Error,
        "warning" => LintSeverity.Warning,
        "notice" => LintSeverity.Notice,
        _ => null,
    };

    private static MigrateException Invalid(string path, string problem) => new(FailureKind.Usage, $"Config file {path}: {problem}");
}
