namespace ProbeOps.Migrate.Files;

/// <summary>One SQL statement cut out of a section, without its terminating semicolon.</summary>
/// <param name="Text">The statement text, trimmed of surrounding whitespace; comments inside it are kept.</param>
/// <param name="Line">The 1-based line in the file where the statement starts.</param>
/// <param name="Column">The 1-based column on <paramref name="Line"/> of the statement's first character.</param>
public sealed record SqlStatement(string Text, int Line, int Column = 1)
{
    /// <summary>
    /// For a <c>COPY ... FROM STDIN</c> statement, the data lines that follow it in the file (as psql reads them);
    /// null for every other statement.
    /// </summary>
    public CopyData? Copy { get; init; }
}

/// <summary>The inline data of a <c>COPY ... FROM STDIN</c> statement.</summary>
/// <param name="Command">The statement from its <c>COPY</c> keyword on (comments before it left out).</param>
/// <param name="Data">The data lines, each ending with <c>\n</c>, without the closing <c>\.</c> line.</param>
/// <param name="FirstLine">The 1-based file line of the first data line.</param>
public sealed record CopyData(string Command, string Data, int FirstLine);
