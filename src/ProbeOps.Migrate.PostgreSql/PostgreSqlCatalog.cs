namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>What the catalog says about user objects, shared by the inspector and the cleaner.</summary>
internal static class PostgreSqlCatalog
{
    /// <summary>
    /// User objects: relations (tables, views, sequences...), routines and types in schemas that
    /// are not the server's own, leaving out what extensions own and the tables named in
    /// <c>$2</c> (a <c>text[]</c>) of schema <c>$1</c>, with the sequences those tables own.
    /// Columns: kind, schema, name, identity arguments (routines; otherwise empty).
    /// </summary>
    public const string UserObjectsSql =
        """
        WITH user_schemas AS (
            SELECT oid, nspname FROM pg_namespace
            WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
        ),
        kept_tables AS (
            SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = ANY ($2::text[])
        ),
        extension_members AS (
            SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
        )
        SELECT CASE c.relkind
                   WHEN 'v' THEN 'view'
                   WHEN 'm' THEN 'materialized view'
                   WHEN 'S' THEN 'sequence'
                   WHEN 'f' THEN 'foreign table'
                   ELSE 'table'
               END, s.nspname::text, c.relname::text, ''
        FROM pg_class c JOIN user_schemas s ON s.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND c.oid NOT IN (SELECT oid FROM kept_tables)
          AND NOT EXISTS (SELECT 1 FROM extension_members e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')
                AND d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM kept_tables))
        UNION ALL
        SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
               s.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid)
        FROM pg_proc p JOIN user_schemas s ON s.oid = p.pronamespace
        WHERE NOT EXISTS (SELECT 1 FROM extension_members e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
        UNION ALL
        SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, s.nspname::text, t.typname::text, ''
        FROM pg_type t JOIN user_schemas s ON s.oid = t.typnamespace
        WHERE t.typtype IN ('c', 'd', 'e', 'r')
          AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
          AND NOT EXISTS (SELECT 1 FROM extension_members e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
        """;

    public static async Task<List<UserObject>> ListUserObjectsAsync(
        PostgreSqlExecutor executor,
        string historySchema,
        string[] keptTables,
        CancellationToken cancellationToken) =>
        await executor.QueryAsync(
            UserObjectsSql,
            r => new UserObject(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)),
            cancellationToken,
            historySchema,
            keptTables);

    /// <summary>One user object as the catalog names it.</summary>
    /// <param name="Arguments">For routines, the argument types that identify an overload.</param>
    public sealed record UserObject(string Kind, string Schema, string Name, string Arguments)
    {
        public bool IsRoutine => Kind is "function" or "procedure" or "aggregate";

        /// <summary><c>schema.name</c>, with <c>(arguments)</c> for routines.</summary>
        public string DisplayName => IsRoutine ? $"{Schema}.{Name}({Arguments})" : $"{Schema}.{Name}";

        /// <summary>The quoted name as DROP takes it.</summary>
        public string SqlName =>
            PostgreSqlSyntax.QualifiedName(Schema, Name) + (IsRoutine ? "(" + Arguments + ")" : "");
    }
}
