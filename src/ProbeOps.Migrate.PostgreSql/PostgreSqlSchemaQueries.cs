namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The catalog queries behind <see cref="PostgreSqlSchemaReader"/>: one per kind of object, each
/// set-based over the whole database and filtered by schema on the server, returning OIDs that are
/// joined in memory. They read <c>pg_catalog</c> (not <c>information_schema</c>, which hides objects
/// from roles without privileges on them) and let the server's own deparsers print every
/// expression, so text compares exactly between two databases of the same server version.
/// Run with <c>search_path</c> set to <c>''</c>: every name comes out qualified.
/// </summary>
internal static class PostgreSqlSchemaQueries
{
    /// <summary>Schemas that hold user objects: not the server's own, not an extension's.</summary>
    private const string UserSchema = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'";

    private static string NotExtensionMember(string catalog, string oid) =>
        $"NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{catalog}'::regclass AND e.objid = {oid} AND e.deptype = 'e')";

    public static readonly string Schemas =
        $"""
        SELECT n.oid, n.nspname::text
        FROM pg_namespace n
        WHERE {UserSchema} AND {NotExtensionMember("pg_namespace", "n.oid")}
        """;

    public const string Extensions =
        """
        SELECT e.oid, e.extname::text, n.nspname::text, e.extversion
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        """;

    /// <summary>
    /// Relations, with a table's replica identity when not the default and the index it is clustered on;
    /// <c>$1</c> is the history schema and <c>$2</c> the names of the tool's own tables, left out.
    /// </summary>
    public static readonly string Relations =
        $"""
        SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, c.relpersistence::text,
               c.relrowsecurity, c.relforcerowsecurity, c.relispartition,
               CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
               (SELECT string_agg(o, ', ' ORDER BY o) FROM unnest(c.reloptions) AS o),
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
               ARRAY(SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
               CASE WHEN c.relkind IN ('r', 'p') THEN
                   CASE c.relreplident WHEN 'n' THEN 'NOTHING' WHEN 'f' THEN 'FULL'
                        WHEN 'i' THEN 'USING INDEX ' || (SELECT quote_ident(ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                                                         WHERE i.indrelid = c.oid AND i.indisreplident) END END,
               (SELECT quote_ident(ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisclustered)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'c')
          AND {UserSchema} AND {NotExtensionMember("pg_class", "c.oid")}
          AND NOT (n.nspname = $1 AND c.relname = ANY ($2::text[]))
        """;

    /// <summary>Sequence options, with the column that owns the sequence (<c>a</c>: serial or OWNED BY; <c>i</c>: identity).</summary>
    public static readonly string Sequences =
        $"""
        SELECT s.seqrelid, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               d.refobjid, d.refobjsubid, d.deptype::text
        FROM pg_sequence s
        JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
             AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        WHERE {UserSchema}
        """;

    /// <summary>
    /// Columns of tables, foreign tables and composite types; a collation and a storage only when not the
    /// type's, a statistics target only when set (<c>SET STATISTICS</c>), options (<c>n_distinct</c>) sorted.
    /// </summary>
    public static readonly string Columns =
        $"""
        SELECT a.attrelid, a.attnum, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attgenerated::text, a.attidentity::text,
               CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,
               CASE WHEN a.attstorage <> t.typstorage THEN
                   CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' WHEN 'x' THEN 'EXTENDED' END END,
               NULLIF(a.attstattarget::int, -1)::text,
               (SELECT string_agg(o, ', ' ORDER BY o) FROM unnest(a.attoptions) AS o)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'c') AND {UserSchema}
        ORDER BY a.attrelid, a.attnum
        """;

    /// <summary>
    /// Constraints of tables and domains, leaving out the copies the server keeps in partitions and
    /// inheritance children, and NOT NULL (a column property here).
    /// </summary>
    public static readonly string Constraints =
        $"""
        SELECT co.oid, co.conrelid, co.contypid, co.conname::text, co.contype::text, pg_get_constraintdef(co.oid),
               co.condeferrable, co.condeferred, co.convalidated
        FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
        WHERE {UserSchema} AND co.contype IN ('p', 'u', 'f', 'c', 'x') AND co.conparentid = 0 AND co.conislocal
        """;

    /// <summary>
    /// Indexes that are neither a partition's copy of its parent's nor a constraint's own (the
    /// constraint stands for those; leaving them out here also spares deparsing them). Each key column
    /// carries its operator class only when it is not the default one, and its order only when it is
    /// not ASC NULLS LAST, as <c>pg_get_indexdef</c> prints them. A plain column is its quoted name, as
    /// <c>pg_get_indexdef(index, column, true)</c> prints it, without the cost of deparsing the index
    /// once more per column; only an expression is deparsed.
    /// </summary>
    public static string Indexes(int serverVersion) =>
        $"""
        SELECT i.indexrelid, i.indrelid, ic.relname::text, am.amname::text, i.indisunique, i.indisvalid, i.indnkeyatts,
               ARRAY(
                   SELECT CASE WHEN i.indkey[g.k - 1] <> 0
                               THEN (SELECT quote_ident(a.attname) FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[g.k - 1])
                               ELSE pg_get_indexdef(i.indexrelid, g.k, true) END
                       || CASE WHEN g.k <= i.indnkeyatts THEN
                              COALESCE((SELECT ' ' || quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname)
                                        FROM pg_opclass opc JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
                                        WHERE opc.oid = i.indclass[g.k - 1] AND NOT opc.opcdefault), '')
                              || CASE WHEN (i.indoption[g.k - 1]::int & 1) = 1 THEN ' DESC' ELSE '' END
                              || CASE (i.indoption[g.k - 1]::int & 3) WHEN 1 THEN ' NULLS LAST' WHEN 2 THEN ' NULLS FIRST' ELSE '' END
                          ELSE '' END
                   FROM generate_series(1, i.indnatts::int) AS g(k) ORDER BY g.k),
               pg_get_expr(i.indpred, i.indrelid, true),
               {(serverVersion >= 150000 ? "i.indnullsnotdistinct" : "false")},
               (SELECT string_agg(o, ', ' ORDER BY o) FROM unnest(ic.reloptions) AS o),
               pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_am am ON am.oid = ic.relam
        JOIN pg_namespace n ON n.oid = ic.relnamespace
        WHERE {UserSchema} AND NOT ic.relispartition
          AND i.indexrelid NOT IN (SELECT co.conindid FROM pg_constraint co WHERE co.contype IN ('p', 'u', 'x'))
        """;

    /// <summary>Triggers the user wrote: not the server's own (foreign keys), not a partition's clone.</summary>
    public static string Triggers(int serverVersion) =>
        $"""
        SELECT t.oid, t.tgrelid, t.tgname::text, pg_get_triggerdef(t.oid), t.tgenabled::text
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal {(serverVersion >= 130000 ? "AND t.tgparentid = 0" : "")} AND {UserSchema}
        """;

    public static readonly string Policies =
        $"""
        SELECT p.oid, p.polrelid, p.polname::text, p.polcmd::text, p.polpermissive,
               ARRAY(SELECT CASE WHEN r.roleid = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r.roleid)) END
                     FROM unnest(p.polroles) AS r(roleid) ORDER BY 1),
               pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {UserSchema}
        """;

    /// <summary>
    /// Functions and procedures with <c>pg_get_functiondef</c>; aggregates, which it refuses, described from
    /// <c>pg_aggregate</c>. Identified by their argument types alone (<c>public.f(uuid)</c>), as PostgreSQL
    /// does: a parameter's name is part of the definition, not of the name.
    /// </summary>
    public static readonly string Routines =
        $"""
        SELECT p.oid, n.nspname::text, p.proname::text, pg_catalog.oidvectortypes(p.proargtypes), p.prokind::text,
               CASE WHEN p.prokind = 'a' THEN
                   'AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
                   || '(' || pg_get_function_identity_arguments(p.oid) || ') (SFUNC = ' || a.aggtransfn::text
                   || ', STYPE = ' || format_type(a.aggtranstype, NULL)
                   || CASE WHEN a.aggfinalfn::oid <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::text ELSE '' END
                   || CASE WHEN a.aggcombinefn::oid <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::text ELSE '' END
                   || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || quote_literal(a.agginitval) ELSE '' END
                   || ')'
               ELSE pg_get_functiondef(p.oid) END
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
        WHERE {UserSchema} AND {NotExtensionMember("pg_proc", "p.oid")}
        """;

    /// <summary>Enums (labels in order), domains, composite types (attributes come with the columns) and ranges.</summary>
    public static readonly string Types =
        $"""
        SELECT t.oid, n.nspname::text, t.typname::text, t.typtype::text, t.typrelid,
               CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
                    WHEN t.typtype = 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) END,
               t.typnotnull,
               CASE WHEN t.typdefaultbin IS NOT NULL THEN pg_get_expr(t.typdefaultbin, 0) ELSE t.typdefault END,
               CASE WHEN t.typtype = 'd' AND t.typcollation <> 0
                         AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                    THEN (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                          FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END,
               ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE {UserSchema} AND t.typtype IN ('e', 'd', 'c', 'r')
          AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
          AND {NotExtensionMember("pg_type", "t.oid")}
        """;

    /// <summary>Comments on user objects (OIDs from 16384 up, and the schemas, <c>public</c> included), by catalog.</summary>
    public const string Comments =
        """
        SELECT CASE d.classoid
                   WHEN 'pg_class'::regclass THEN 'class'
                   WHEN 'pg_proc'::regclass THEN 'proc'
                   WHEN 'pg_type'::regclass THEN 'type'
                   WHEN 'pg_namespace'::regclass THEN 'namespace'
                   WHEN 'pg_constraint'::regclass THEN 'constraint'
                   WHEN 'pg_trigger'::regclass THEN 'trigger'
                   WHEN 'pg_policy'::regclass THEN 'policy'
               END,
               d.objoid, d.objsubid, d.description
        FROM pg_description d
        WHERE (d.objoid >= 16384 OR d.classoid = 'pg_namespace'::regclass)
          AND d.classoid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass, 'pg_namespace'::regclass,
                             'pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass)
        """;

    /// <summary>
    /// Grants on relations, routines, schemas and types, the defaults made explicit (so a NULL ACL and
    /// the same grants written out compare equal) and the owner's own left out.
    /// </summary>
    public static readonly string Privileges =
        $"""
        SELECT 'class', c.oid, g.grantee, g.privilege_type, g.is_grantable
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             LATERAL aclexplode(COALESCE(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))) g
        WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND {UserSchema} AND g.grantee <> c.relowner
        UNION ALL
        SELECT 'proc', p.oid, g.grantee, g.privilege_type, g.is_grantable
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
             LATERAL aclexplode(COALESCE(p.proacl, acldefault('f'::"char", p.proowner))) g
        WHERE {UserSchema} AND g.grantee <> p.proowner
        UNION ALL
        SELECT 'namespace', n.oid, g.grantee, g.privilege_type, g.is_grantable
        FROM pg_namespace n, LATERAL aclexplode(COALESCE(n.nspacl, acldefault('n'::"char", n.nspowner))) g
        WHERE {UserSchema} AND g.grantee <> n.nspowner
        UNION ALL
        SELECT 'type', t.oid, g.grantee, g.privilege_type, g.is_grantable
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace,
             LATERAL aclexplode(COALESCE(t.typacl, acldefault('T'::"char", t.typowner))) g
        WHERE t.typtype IN ('e', 'd', 'c', 'r') AND {UserSchema} AND g.grantee <> t.typowner
        """;

    /// <summary>Role names for the grantees above, PUBLIC for 0: one lookup per role, not per grant.</summary>
    public const string Roles = "SELECT r.oid, quote_ident(r.rolname) FROM pg_roles r";
}
