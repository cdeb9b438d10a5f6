using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Code;

/// <summary>
/// The C# code migrations an application registers (<see cref="Configuration.MigrateSettings.CodeMigrations"/>).
/// They join the <c>.sql</c> files of the migrations directory in one revision graph; validation treats a class
/// like a file (duplicate ids, unknown parents, date order).
/// </summary>
public sealed class CodeMigrations
{
    /// <summary>The prefix of a code revision's recorded checksum, which tells the command-line tool what it is.</summary>
    public const string ChecksumPrefix = "code:";

    private readonly IReadOnlyList<CodeMigration> _migrations;
    private readonly IReadOnlyList<Diagnostic> _problems;

    private CodeMigrations(IReadOnlyList<CodeMigration> migrations, IReadOnlyList<Diagnostic> problems)
    {
        _migrations = migrations;
        _problems = problems;
    }

    /// <summary>No code migrations: what the command-line tool has.</summary>
    public static CodeMigrations None { get; } = new([], []);

    public int Count => _migrations.Count;

    /// <summary>An explicit list: nothing is found by reflection, so trimmed and Native AOT applications keep every class.</summary>
    public static CodeMigrations Of(params CodeMigration[] migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        return new([.. migrations], []);
    }

    /// <summary>
    /// Every public, non-abstract <see cref="CodeMigration"/> class of <paramref name="assembly"/>. A class without
    /// <see cref="RevisionAttribute"/> or a public parameterless constructor is a validation error, not skipped.
    /// </summary>
    [RequiresUnreferencedCode("Finds classes by reflection; trimming may remove them. Use CodeMigrations.Of in trimmed applications.")]
    public static CodeMigrations FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<CodeMigration>();
        var problems = new List<Diagnostic>();
        foreach (var type in assembly.GetExportedTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(CodeMigration))).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
                problems.Add(Shape(type, "needs a public constructor without parameters"));
            else
                migrations.Add((CodeMigration)Activator.CreateInstance(type)!);
        }

        return new(migrations, problems);
    }

    /// <summary>These migrations and <paramref name="other"/>'s, as one registration.</summary>
    public CodeMigrations And(CodeMigrations other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. _migrations, .. other._migrations], [.. _problems, .. other._problems]);
    }

    /// <summary><paramref name="set"/> with a revision for every class, and a diagnostic for every class that cannot be one.</summary>
    internal MigrationSet AddTo(MigrationSet set)
    {
        if (_migrations.Count == 0 && _problems.Count == 0)
            return set;
        var files = new List<MigrationFile>(set.Files);
        var diagnostics = new List<Diagnostic>(set.Diagnostics);
        diagnostics.AddRange(_problems);
        foreach (var migration in _migrations)
        {
            if (ToFile(migration, out var problem) is { } file)
                files.Add(file);
            else
                diagnostics.Add(problem!);
        }

        return set with { Files = files, Diagnostics = diagnostics };
    }

    /// <summary>The revision a class declares, or null with the reason it declares none that can be used.</summary>
    internal static MigrationFile? ToFile(CodeMigration migration, out Diagnostic? problem)
    {
        var type = migration.GetType();
        problem = null;
        if (type.GetCustomAttribute<RevisionAttribute>() is not { } revision)
        {
            problem = Shape(type, "has no [Revision(\"YYYYMMDD_description\", parents...)] attribute");
            return null;
        }

        if (IdProblem(revision.Id) is { } idProblem)
        {
            problem = Diagnostic.Error(DiagnosticCodes.InvalidRevisionId, $"C# migration {type.FullName}: revision id `{MigrationNames.Shorten(revision.Id)}` {idProblem}", Label(revision.Id, type));
            return null;
        }

        var empty = new MigrationSection("", migration.Transactional, 0, []);
        return new MigrationFile
        {
            Path = Label(revision.Id, type),
            Revision = revision.Id,
            DownRevisions = revision.Parents,
            Message = revision.Message,
            Upgrade = empty,
            Downgrade = migration.IsReversible ? empty : null,
            Backfill = migration.Backfills.Count == 0 ? null : new MigrationSection("", true, 0, [.. migration.Backfills.Select(b => new SqlStatement(b.Description, 0))])
            {
                Pause = migration.Backfills[0].Pause,
            },
            Checksum = Checksum(revision.Id, revision.Version),
            Code = migration,
        };
    }

    /// <summary>
    /// <c>code:</c> and the SHA-256 of the id and the declared version: the tool cannot see what code does, so an
    /// edit counts only when its author says so by raising <see cref="RevisionAttribute.Version"/>.
    /// </summary>
    public static string Checksum(string revision, int version) =>
        ChecksumPrefix + MigrationChecksum.Compute(FormattableString.Invariant($"{revision}\n{version}"));

    /// <summary>Whether a recorded checksum is a code revision's.</summary>
    public static bool IsCodeChecksum(string checksum) => checksum.StartsWith(ChecksumPrefix, StringComparison.Ordinal);

    /// <summary>How messages name a code revision, where a file's name would stand.</summary>
    private static string Label(string id, Type type) => $"{id} (C# {type.FullName})";

    private static string? IdProblem(string id) =>
        MigrationNames.RevisionIdProblem(id)
        ?? (MigrationNames.FileNameProblem(id + ".sql") is null ? null : "does not follow the convention YYYYMMDD_description (a date, then lower-case words joined by `_`)");

    private static Diagnostic Shape(Type type, string problem) =>
        Diagnostic.Error(DiagnosticCodes.CodeMigrationShape, $"C# migration {type.FullName} {problem}", type.FullName);
}
