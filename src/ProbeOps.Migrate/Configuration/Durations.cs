using System.Globalization;

namespace ProbeOps.Migrate.Configuration;

/// <summary>Durations as users write them: <c>500ms</c>, <c>5s</c>, <c>10m</c>, <c>1h</c>, or <c>0</c> for none.</summary>
public static class Durations
{
    /// <summary>Parses a duration; null when the text is not one.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var s = text.Trim();
        var unitStart = 0;
        while (unitStart < s.Length && (char.IsAsciiDigit(s[unitStart]) || s[unitStart] == '.'))
        {
            unitStart++;
        }

        if (unitStart == 0 || !double.TryParse(s.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return s[unitStart..] switch
        {
            "" when value == 0 => TimeSpan.Zero,
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" or "min" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => null,
        };
    }

    /// <summary>Parses a duration or throws a usage error naming the setting.</summary>
    public static TimeSpan Parse(string text, string settingName) =>
        TryParse(text) ?? throw new MigrateException(
            FailureKind.Usage,
            $"{settingName}: '{text}' is not a duration; write it like 500ms, 5s, 10m or 1h (0 for none).");

    /// <summary>The short form used in output: <c>5s</c>, <c>10m</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0";
        }

        if (value.TotalMilliseconds < 1000 || value.Milliseconds != 0)
        {
            return FormattableString.Invariant($"{value.TotalMilliseconds:0}ms");
        }

        if (value.TotalSeconds < 60 || value.Seconds != 0)
        {
            return FormattableString.Invariant($"{value.TotalSeconds:0}s");
        }

        return value.TotalMinutes < 60 || value.Minutes != 0
            ? FormattableString.Invariant($"{value.TotalMinutes:0}m")
            : FormattableString.Invariant($"{value.TotalHours:0}h");
    }
}
