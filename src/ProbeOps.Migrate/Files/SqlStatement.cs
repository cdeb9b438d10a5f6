namespace ProbeOps.Migrate.Files;

/// <summary>The SQL dialect a statement splitter and the transaction rules follow.</summary>
public enum SqlDialect
{
    PostgreSql,
    Sqlite,
}

/// <summary>One SQL statement cut out of a section, without its terminating semicolon.</summary>
/// <param name="Text">The statement text, trimmed of surrounding whitespace; comments inside it are kept.</param>
/// <param name="Line">The 1-based line in the file where the statement starts.</param>
public sealed record SqlStatement(string Text, int Line);
