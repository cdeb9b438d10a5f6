using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Sql;

/// <summary>Which statements PostgreSQL refuses to run inside a transaction block.</summary>
/// <remarks>
/// Only keywords count: the statement is tokenized, so words inside strings, comments and quoted identifiers
/// (a column named <c>"concurrently"</c>, a comment mentioning VACUUM) never match.
/// <c>CREATE [UNIQUE] INDEX CONCURRENTLY</c>, <c>DROP INDEX CONCURRENTLY</c>,
/// <c>REINDEX ... CONCURRENTLY</c> (keyword or option), <c>REINDEX SCHEMA | DATABASE | SYSTEM</c>,
/// <c>ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY</c>, <c>VACUUM</c>, <c>CREATE | DROP DATABASE</c>,
/// <c>ALTER DATABASE ... SET TABLESPACE</c>, <c>ALTER SYSTEM</c>, <c>CREATE | DROP TABLESPACE</c> and
/// <c>CLUSTER</c> without a table.
/// </remarks>
internal static class PostgreSqlTransactionRules
{
    /// <summary>
    /// A short name for what makes <paramref name="statement"/> non-transactional
    /// (for example <c>CREATE INDEX CONCURRENTLY</c>), or null when it may run in a transaction.
    /// </summary>
    public static string? Find(SqlStatement statement, SqlLexerRules rules)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var tokens = new SqlTokens(statement.Text, rules);
        var first = tokens.Next();

        if (tokens.IsWord(first, "VACUUM"))
            return "VACUUM";
        if (tokens.IsWord(first, "CREATE"))
            return Create(ref tokens);
        if (tokens.IsWord(first, "DROP"))
            return Drop(ref tokens);
        if (tokens.IsWord(first, "REINDEX"))
            return Reindex(ref tokens);
        if (tokens.IsWord(first, "ALTER"))
            return Alter(ref tokens);
        return tokens.IsWord(first, "CLUSTER") ? Cluster(ref tokens) : null;
    }

    private static string? Create(ref SqlTokens tokens)
    {
        var next = tokens.Next();
        if (tokens.IsWord(next, "DATABASE"))
            return "CREATE DATABASE";
        if (tokens.IsWord(next, "TABLESPACE"))
            return "CREATE TABLESPACE";
        if (tokens.IsWord(next, "UNIQUE"))
            next = tokens.Next();
        return tokens.IsWord(next, "INDEX") && tokens.IsWord(tokens.Next(), "CONCURRENTLY")
            ? "CREATE INDEX CONCURRENTLY"
            : null;
    }

    private static string? Drop(ref SqlTokens tokens)
    {
        var next = tokens.Next();
        if (tokens.IsWord(next, "DATABASE"))
            return "DROP DATABASE";
        if (tokens.IsWord(next, "TABLESPACE"))
            return "DROP TABLESPACE";
        return tokens.IsWord(next, "INDEX") && tokens.IsWord(tokens.Next(), "CONCURRENTLY")
            ? "DROP INDEX CONCURRENTLY"
            : null;
    }

    private static string? Alter(ref SqlTokens tokens)
    {
        var next = tokens.Next();
        if (tokens.IsWord(next, "SYSTEM"))
            return "ALTER SYSTEM";
        if (tokens.IsWord(next, "DATABASE"))
        {
            tokens.Next();
            return tokens.IsWord(tokens.Next(), "SET") && tokens.IsWord(tokens.Next(), "TABLESPACE")
                ? "ALTER DATABASE ... SET TABLESPACE"
                : null;
        }

        return tokens.IsWord(next, "TABLE") && DetachesConcurrently(ref tokens)
            ? "ALTER TABLE ... DETACH PARTITION CONCURRENTLY"
            : null;
    }

    private static string? Cluster(ref SqlTokens tokens)
    {
        // CLUSTER [VERBOSE] or CLUSTER (options) with no table reclusters every table it may.
        var next = tokens.Next();
        if (tokens.IsWord(next, "VERBOSE"))
            next = tokens.Next();
        else if (tokens.IsSymbol(next, '('))
            next = tokens.SkipParenthesized();
        return next is null ? "CLUSTER" : null;
    }

    private static string? Reindex(ref SqlTokens tokens)
    {
        // REINDEX [ (option [, ...]) ] { INDEX | TABLE | SCHEMA | DATABASE | SYSTEM } [ CONCURRENTLY ] name
        var concurrently = false;
        var next = tokens.Next();
        if (tokens.IsSymbol(next, '('))
        {
            next = tokens.Next();
            while (next is not null && !tokens.IsSymbol(next, ')'))
            {
                if (tokens.IsWord(next, "CONCURRENTLY"))
                {
                    next = tokens.Next();
                    var off = tokens.IsWord(next, "FALSE") || tokens.IsWord(next, "OFF") || tokens.IsText(next, "0");
                    concurrently |= !off;
                    continue;
                }

                next = tokens.Next();
            }

            next = tokens.Next();
        }

        var kind = next;
        if (tokens.IsWord(tokens.Next(), "CONCURRENTLY"))
            concurrently = true;
        if (concurrently)
            return "REINDEX CONCURRENTLY";
        foreach (var wide in (string[])["SCHEMA", "DATABASE", "SYSTEM"])
        {
            if (tokens.IsWord(kind, wide))
                return "REINDEX " + wide;
        }

        return null;
    }

    private static bool DetachesConcurrently(ref SqlTokens tokens)
    {
        // ALTER TABLE [IF EXISTS] [ONLY] name DETACH PARTITION partition [CONCURRENTLY | FINALIZE]
        var previousWasDetach = false;
        for (var token = tokens.Next(); token is not null; token = tokens.Next())
        {
            if (previousWasDetach && tokens.IsWord(token, "PARTITION"))
            {
                // Skip the partition's (possibly qualified) name, which may itself be "concurrently".
                var next = tokens.Next();
                next = tokens.Next();
                while (tokens.IsSymbol(next, '.'))
                {
                    tokens.Next();
                    next = tokens.Next();
                }

                return tokens.IsWord(next, "CONCURRENTLY");
            }

            previousWasDetach = tokens.IsWord(token, "DETACH");
        }

        return false;
    }
}
