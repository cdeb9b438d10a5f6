namespace ProbeOps.Migrate;

/// <summary>
/// Where a <see cref="Migrator"/> finds its migrations. A source on disk is read where it is; any other source
/// writes its files into a private directory the migrator reads and deletes afterwards. The options hold a list of
/// sources, so a migrator can combine several (the files of all of them form one revision graph).
/// </summary>
public abstract class MigrationSource
{
    /// <summary>Where the migrations come from, for logs and errors (never holds a secret).</summary>
    public abstract string Description { get; }

    /// <summary>The directory holding the files when they are on disk already; null when they must be written out.</summary>
    public virtual string? DirectoryOnDisk => null;

    /// <summary>
    /// Writes the source's files into <paramref name="directory"/>: revisions at the top level, repeatable migrations
    /// in <c>repeatable/</c>. <paramref name="claim"/> is called with each relative path before it is written, so a
    /// name two sources share is refused instead of overwritten.
    /// </summary>
    public abstract void WriteTo(string directory, Action<string> claim);

    public override string ToString() => Description;
}
