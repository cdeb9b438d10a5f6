namespace ProbeOps.Migrate.Files;

/// <summary>
/// What a full read of a migrations directory concluded, kept beside its stat cache (<see cref="FileStatCache"/>): the graph
/// was valid, with <paramref name="Revisions"/> revisions of <paramref name="Digest"/> (<see cref="RevisionDigest"/>) and
/// these heads. It holds for as long as every file's stamp matches the cache whose body hash is <paramref name="CacheHash"/>.
/// </summary>
internal sealed record GraphVerdict(string CacheHash, int Revisions, string Digest, IReadOnlyList<string> Heads);

/// <summary>
/// A migrations directory known unchanged since its last full read (<see cref="MigrationDirectory.Unchanged"/>): its valid
/// graph's revision count, digest and heads, and its repeatable migrations read now. A command that finds the database
/// exactly there answers without reading a migration file or building the graph.
/// </summary>
public sealed record FilesSnapshot(string Directory, int Revisions, string Digest, IReadOnlyList<string> Heads, IReadOnlyList<RepeatableMigration> Repeatables);
