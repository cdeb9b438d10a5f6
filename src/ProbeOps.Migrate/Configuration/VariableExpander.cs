using System.Text;

namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// <c>${NAME}</c> in a setting, read from the process environment, so secrets stay out of the files that
/// hold settings: the config file (SPEC §14) and a fleet's targets file (SPEC §12) expand their values
/// here. <c>$${</c> writes a literal <c>${</c>. A name that is not set, or a <c>${</c> that does not close,
/// is a usage error (exit 2) naming the variable and where it was used, never the value of anything.
/// </summary>
public static class VariableExpander
{
    /// <summary>
    /// The text with every <c>${NAME}</c> replaced by the variable's value; a variable set to the empty
    /// string expands to it. <paramref name="where"/> says where the text came from, for errors
    /// (<c>"database" of environment production in probeops-migrate.json</c>).
    /// </summary>
    public static string Expand(string text, Func<string, string?> variables, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text.AsSpan(i).StartsWith("$${", StringComparison.Ordinal))
            {
                result.Append("${");
                i += 3;
            }
            else if (text.AsSpan(i).StartsWith("${", StringComparison.Ordinal))
            {
                var name = ReadName(text, i + 2, where);
                result.Append(variables(name) ?? throw new MigrateException(
                    FailureKind.Usage,
                    $"{where} uses ${{{name}}}, but the environment variable {name} is not set: set it, or write $${{ for a literal ${{."));
                i += name.Length + 3;
            }
            else
            {
                result.Append(text[i]);
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>The variable name starting at <paramref name="start"/>, which a <c>}</c> must follow.</summary>
    private static string ReadName(string text, int start, string where)
    {
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        if (end == start || end >= text.Length || text[end] != '}' || char.IsAsciiDigit(text[start]))
        {
            // The text may hold a password: only the position is named.
            throw new MigrateException(
                FailureKind.Usage,
                $"{where} has a ${{ at character {start - 1} that is not a variable reference: write ${{NAME}} (letters, digits, _), or $${{ for a literal ${{.");
        }

        return text[start..end];
    }
}
