using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Files;

/// <summary>
/// The values of <c>${name}</c> placeholders (SPEC §15): those given (config file's <c>placeholders</c>, then
/// <c>--placeholder name=value</c>), then the built-ins <c>database</c>, <c>schema</c>, <c>environment</c> and
/// <c>revision</c> (the id of the migration being read; a repeatable's name). A value given wins over a built-in.
/// </summary>
/// <param name="Given">Values from the configuration, by name.</param>
/// <param name="Database">The database's name; empty when there is none (<c>validate</c> without a database).</param>
/// <param name="Schema">The schema the tool's tables live in; empty where the engine has no schemas.</param>
/// <param name="Environment">The selected environment's name; empty without one.</param>
public sealed record PlaceholderValues(IReadOnlyDictionary<string, string> Given, string Database, string Schema, string Environment)
{
    public static PlaceholderValues None { get; } = new(new Dictionary<string, string>(), "", "", "");

    /// <summary>The value of <paramref name="name"/> in the migration <paramref name="revision"/>, or null when it has none.</summary>
    public string? ValueOf(string name, string revision) =>
        Given.TryGetValue(name, out var value) ? value : name switch
        {
            "database" => Database,
            "schema" => Schema,
            "environment" => Environment,
            "revision" => revision,
            _ => null,
        };
}

/// <summary>
/// Replaces placeholders in every statement of a migration set, once, after the files were parsed: the statements
/// the runner sends, <c>--sql</c> prints and drift replays are the replaced ones, while each section's text and
/// checksum stay as written, so different values never read as an edit. A placeholder without a value is PM121 at
/// its file line.
/// </summary>
public static class MigrationPlaceholders
{
    public static MigrationSet Apply(MigrationSet set, ISqlDialect dialect, PlaceholderValues values)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(values);
        var diagnostics = new List<Diagnostic>(set.Diagnostics);
        // A file known from the stat cache has no placeholder: files that have one are always read.
        var files = set.Files.Select(file => file.HasDeferredSections ? file : file with
        {
            Upgrade = Replace(file.Upgrade, file.Path, file.Revision, dialect, values, diagnostics)!,
            Downgrade = Replace(file.Downgrade, file.Path, file.Revision, dialect, values, diagnostics),
            Backfill = Replace(file.Backfill, file.Path, file.Revision, dialect, values, diagnostics),
        }).ToList();
        var repeatables = set.Repeatables.Select(r => r with
        {
            Upgrade = Replace(r.Upgrade, r.Path, r.Name, dialect, values, diagnostics)!,
        }).ToList();
        return set with { Files = files, Diagnostics = diagnostics, Repeatables = repeatables };
    }

    /// <summary>
    /// A repeatable as the database recorded it (its name, checksum and section text), cut and replaced as its file
    /// would be, for the expected schema; throws (exit 3) when a placeholder in it has no value.
    /// </summary>
    public static RepeatableMigration FromRecord(
        string name, string checksum, string sql, string migrationsDirectory, ISqlDialect dialect, PlaceholderValues values)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(values);
        var path = Path.Combine(migrationsDirectory, RepeatableMigration.Folder, name + ".sql");
        var section = new MigrationSection(sql, true, 0, dialect.Split(sql).Statements);
        var problems = new List<Diagnostic>();
        section = Replace(section, path, name, dialect, values, problems)!;
        if (problems.Count > 0)
        {
            throw new MigrateException(FailureKind.InvalidMigrations,
                $"The repeatable {name} as last applied uses a placeholder without a value: {problems[0].Message}.", problems);
        }

        return new RepeatableMigration { Path = path, Name = name, Upgrade = section, Checksum = checksum };
    }

    private static MigrationSection? Replace(
        MigrationSection? section, string path, string revision, ISqlDialect dialect, PlaceholderValues values, List<Diagnostic> diagnostics)
    {
        if (section is null)
        {
            return null;
        }

        var statements = new List<SqlStatement>(section.Statements.Count);
        foreach (var statement in section.Statements)
        {
            var replaced = dialect.ReplacePlaceholders(statement.Text, name => values.ValueOf(name, revision));
            foreach (var missing in replaced.Missing)
            {
                var line = statement.Line + statement.Text.AsSpan(0, missing.Offset).Count('\n');
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.MissingPlaceholder,
                    $"placeholder `${{{missing.Name}}}` has no value; give it in the config file's \"placeholders\" or with --placeholder {missing.Name}=VALUE (write `$${{` for a literal `${{`)",
                    path,
                    line));
            }

            statements.Add(ReferenceEquals(replaced.Text, statement.Text) ? statement : statement with { Text = replaced.Text });
        }

        return section with { Statements = statements };
    }
}
