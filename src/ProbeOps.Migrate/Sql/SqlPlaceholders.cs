using System.Text;

namespace ProbeOps.Migrate.Sql;

/// <summary>A <c>${name}</c> that has no value, and where it starts in the text that was searched.</summary>
public readonly record struct MissingPlaceholder(string Name, int Offset);

/// <summary>Text with its placeholders replaced, and the placeholders that had no value (left as written).</summary>
public sealed record PlaceholderReplacement(string Text, IReadOnlyList<MissingPlaceholder> Missing);

/// <summary>
/// Replaces <c>${name}</c> placeholders in SQL text, with the dialect's lexer deciding where they may be: in code,
/// in <c>'...'</c> strings and in quoted identifiers, never in comments or dollar-quoted bodies. <c>$${</c> writes a
/// literal <c>${</c>. A name is an identifier (<c>[A-Za-z_][A-Za-z0-9_]*</c>); anything else after <c>${</c> is
/// left as written. Values go in as given, unquoted.
/// </summary>
internal static class SqlPlaceholders
{
    public static PlaceholderReplacement Replace(string text, SqlLexerRules rules, Func<string, string?> valueOf)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(valueOf);
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return new PlaceholderReplacement(text, []);
        }

        var output = new StringBuilder(text.Length);
        var missing = new List<MissingPlaceholder>();
        var lexer = new SqlLexer(text, rules);
        var open = 0;
        while (lexer.TryNext(out var token))
        {
            if (!IsProtected(text, token))
            {
                continue;
            }

            ReplaceIn(text, open, token.Start, valueOf, output, missing);
            output.Append(text, token.Start, token.End - token.Start);
            open = token.End;
        }

        ReplaceIn(text, open, text.Length, valueOf, output, missing);
        return new PlaceholderReplacement(output.ToString(), missing);
    }

    /// <summary>Comments and dollar-quoted bodies are never touched.</summary>
    private static bool IsProtected(string text, SqlToken token) =>
        token.Kind == SqlTokenKind.Comment || (token.Kind == SqlTokenKind.String && text[token.Start] == '$');

    /// <summary>Copies <c>text[start..end)</c> to <paramref name="output"/>, replacing placeholders and escapes.</summary>
    private static void ReplaceIn(
        string text, int start, int end, Func<string, string?> valueOf, StringBuilder output, List<MissingPlaceholder> missing)
    {
        var i = start;
        while (i < end)
        {
            var dollar = text.IndexOf('$', i, end - i);
            if (dollar < 0)
            {
                break;
            }

            output.Append(text, i, dollar - i);
            if (At(text, dollar + 1, end) == '$' && At(text, dollar + 2, end) == '{')
            {
                output.Append("${");
                i = dollar + 3;
                continue;
            }

            var nameEnd = NameEnd(text, dollar, end);
            if (nameEnd < 0)
            {
                output.Append('$');
                i = dollar + 1;
                continue;
            }

            var name = text[(dollar + 2)..nameEnd];
            if (valueOf(name) is { } value)
            {
                output.Append(value);
            }
            else
            {
                missing.Add(new MissingPlaceholder(name, dollar));
                output.Append(text, dollar, nameEnd + 1 - dollar);
            }

            i = nameEnd + 1;
        }

        output.Append(text, i, end - i);
    }

    /// <summary>The index of the <c>}</c> closing a <c>${name}</c> at <paramref name="dollar"/>, or -1.</summary>
    private static int NameEnd(string text, int dollar, int end)
    {
        if (At(text, dollar + 1, end) != '{' || !IsNameStart(At(text, dollar + 2, end)))
        {
            return -1;
        }

        var j = dollar + 3;
        while (j < end && (IsNameStart(text[j]) || char.IsAsciiDigit(text[j])))
        {
            j++;
        }

        return At(text, j, end) == '}' ? j : -1;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static char At(string text, int index, int end) => index < end ? text[index] : '\0';
}
