using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Sql;

/// <summary>Something in a statement that the engine cannot be sent, with the file line it is on.</summary>
/// <param name="Code">The diagnostic code (<see cref="DiagnosticCodes"/>).</param>
public sealed record SqlProblem(string Code, string Message, int Line);

/// <summary>
/// Finds what only psql understands: meta-commands (<c>\set</c>, <c>\gset</c>, <c>\i</c>, ...) and variable
/// interpolation (<c>:name</c>, <c>:'name'</c>, <c>:"name"</c>) outside strings and comments. The tool sends SQL
/// to the server as written, so without this check the server would answer with a syntax error far from the cause.
/// </summary>
/// <remarks>
/// A <c>:</c> counts as interpolation only when a name or quote follows it directly, it is not part of <c>::</c>
/// (a cast) or <c>:=</c>, and it is not inside <c>[...]</c> (an array slice such as <c>a[1:n]</c>).
/// </remarks>
internal static class PsqlSyntax
{
    public static IReadOnlyList<SqlProblem> Find(SqlStatement statement, SqlLexerRules rules)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var text = statement.Text;
        var problems = new List<SqlProblem>();
        var lexer = new SqlLexer(text, rules);
        SqlToken? colon = null;
        SqlToken? previous = null;
        var brackets = 0;
        while (lexer.TryNextCode(out var token))
        {
            var c = text[token.Start];
            if (colon is { } open && token.Start == open.End && token.Kind is SqlTokenKind.Word or SqlTokenKind.String or SqlTokenKind.QuotedIdentifier)
            {
                problems.Add(Problem(statement, open.Start,
                    $"`{text[open.Start..token.End]}` is psql variable interpolation; SQL is sent to the server as written, with no psql variables: write the value itself"));
            }

            colon = null;
            if (token.Kind == SqlTokenKind.Symbol)
            {
                brackets += c == '[' ? 1 : c == ']' && brackets > 0 ? -1 : 0;
                if (c == '\\')
                {
                    problems.Add(Problem(statement, token.Start,
                        $"`{Excerpt(text, token.Start)}` is a psql meta-command, which is not supported: migrations hold SQL only; write it as SQL or remove it"));
                }
                else if (c == ':' && brackets == 0 && !IsColonAt(text, previous, token.Start))
                {
                    colon = token;
                }
            }

            previous = token;
        }

        return problems;
    }

    // The second ':' of '::' is no interpolation either: a colon right after a colon is a cast.
    private static bool IsColonAt(string text, SqlToken? previous, int start) =>
        previous is { } p && p.End == start && IsColon(text, p);

    private static bool IsColon(string text, SqlToken token) => token.Kind == SqlTokenKind.Symbol && text[token.Start] == ':';

    private static SqlProblem Problem(SqlStatement statement, int position, string message) =>
        new(DiagnosticCodes.PsqlSyntax, message, statement.Line + statement.Text.AsSpan(0, position).Count('\n'));

    /// <summary>The meta-command starting at <paramref name="start"/>, up to the next blank: <c>\set</c>.</summary>
    private static string Excerpt(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && end - start < 40)
            end++;
        return text[start..end];
    }
}
