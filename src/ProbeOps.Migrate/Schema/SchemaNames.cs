namespace ProbeOps.Migrate.Schema;

/// <summary>How object names are shown in reports and matched by <c>--exclude</c>.</summary>
public static class SchemaNames
{
    /// <summary>
    /// The name as PostgreSQL would print it: plain when it is a lower-case identifier, otherwise in
    /// double quotes, so <c>public.users</c> and <c>public."Users"</c> never read alike.
    /// </summary>
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsPlain(name))
        {
            return name;
        }

        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary><c>schema.name</c>, each part quoted when needed.</summary>
    public static string Qualify(string schema, string name) => Quote(schema) + "." + Quote(name);

    private static bool IsPlain(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' || c == '$'))
            {
                return false;
            }
        }

        return true;
    }
}
