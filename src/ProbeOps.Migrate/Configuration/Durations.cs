using System.Globalization;

namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// Durations as users write them: <c>500ms</c>, <c>5s</c>, <c>10m</c>, <c>1h</c>, combinations from the
/// largest unit down (<c>1h30m</c>, <c>2m30s</c>), or <c>0</c> for none. A bare number is refused: it
/// would have to guess the unit.
/// </summary>
public static class Durations
{
    /// <summary>The forms accepted, for messages.</summary>
    public const string AcceptedForms = "500ms, 5s, 10m, 1h or combinations such as 1h30m (0 for none)";

    private static readonly string[] UnitsLargestFirst = ["h", "m", "s", "ms"];

    /// <summary>Parses a duration; null when the text is not one.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var s = text.Trim();
        if (s == "0")
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var lastUnit = -1;
        var position = 0;
        while (position < s.Length)
        {
            if (NextPart(s, ref position) is not (var value, var unit))
            {
                return null;
            }

            var rank = Array.IndexOf(UnitsLargestFirst, unit);
            if (rank <= lastUnit)
            {
                return null;
            }

            lastUnit = rank;
            total += unit switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => TimeSpan.FromMilliseconds(value),
            };
        }

        return total;
    }

    /// <summary>One number and its unit (<c>min</c> reads as <c>m</c>), from <paramref name="position"/> on.</summary>
    private static (double Value, string Unit)? NextPart(string s, ref int position)
    {
        var start = position;
        while (position < s.Length && (char.IsAsciiDigit(s[position]) || s[position] == '.'))
        {
            position++;
        }

        if (position == start || !double.TryParse(s.AsSpan(start, position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var unitStart = position;
        while (position < s.Length && char.IsAsciiLetter(s[position]))
        {
            position++;
        }

        var unit = s[unitStart..position] switch
        {
            "min" => "m",
            var other => other,
        };
        return Array.IndexOf(UnitsLargestFirst, unit) < 0 ? null : (value, unit);
    }

    /// <summary>Parses a duration or throws a usage error naming the setting.</summary>
    public static TimeSpan Parse(string text, string settingName) =>
        TryParse(text) ?? throw new MigrateException(
            FailureKind.Usage,
            $"{settingName}: '{text}' is not a duration{(IsBareNumber(text) ? " (a number needs a unit)" : "")}; write it like {AcceptedForms}.");

    private static bool IsBareNumber(string text) =>
        text.Trim() is { Length: > 0 } t && t.All(c => char.IsAsciiDigit(c) || c == '.');

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
