namespace ProbeOps.Migrate.Files;

/// <summary>One SQL statement cut out of a section, without its terminating semicolon.</summary>
/// <param name="Text">The statement text, trimmed of surrounding whitespace; comments inside it are kept.</param>
/// <param name="Line">The 1-based line in the file where the statement starts.</param>
/// <param name="Column">The 1-based column on <paramref name="Line"/> of the statement's first character.</param>
public sealed record SqlStatement(string Text, int Line, int Column = 1);
