namespace ProbeOps.Migrate.Files;

/// <summary>One SQL statement cut out of a section, without its terminating semicolon.</summary>
/// <param name="Text">The statement text, trimmed of surrounding whitespace; comments inside it are kept.</param>
/// <param name="Line">The 1-based line in the file where the statement starts.</param>
public sealed record SqlStatement(string Text, int Line);
