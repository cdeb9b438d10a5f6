namespace ProbeOps.Migrate.Files;

/// <summary>One section of a migration file: the SQL under <c>-- migrate:upgrade</c>, <c>-- migrate:downgrade</c> or <c>-- migrate:backfill</c>.</summary>
/// <param name="Sql">The section body (marker line excluded), line endings normalised to <c>\n</c>.</param>
/// <param name="Transactional">False when the marker says <c>transaction:false</c>: each statement then runs on its own.</param>
/// <param name="MarkerLine">The 1-based line of the marker; the body starts on the next line.</param>
/// <param name="Statements">
/// <paramref name="Sql"/> cut into statements by the dialect the file was parsed for, each with its file line: what
/// the runner sends, <c>upgrade --sql</c> prints and drift replays, so a section is never cut twice.
/// </param>
public sealed record MigrationSection(string Sql, bool Transactional, int MarkerLine, IReadOnlyList<SqlStatement> Statements)
{
    /// <summary>The 1-based file line of the first line of <see cref="Sql"/>.</summary>
    public int FirstBodyLine => MarkerLine + 1;

    /// <summary>A backfill's wait between two runs (<c>pause:DURATION</c>); zero for other sections.</summary>
    public TimeSpan Pause { get; init; }

    /// <summary>Equal when the text, the options, the place and every statement are.</summary>
    public bool Equals(MigrationSection? other) =>
        other is not null
        && Sql == other.Sql
        && Transactional == other.Transactional
        && Pause == other.Pause
        && MarkerLine == other.MarkerLine
        && Statements.SequenceEqual(other.Statements);

    public override int GetHashCode() => HashCode.Combine(Sql, Transactional, MarkerLine, Statements.Count);
}

/// <summary>The three sections of a migration file, as one parse produces them.</summary>
public sealed record MigrationSections(MigrationSection Upgrade, MigrationSection? Downgrade, MigrationSection? Backfill);

/// <summary>A parsed migration file: one revision of the graph with its SQL.</summary>
/// <remarks>
/// A file known from the stat cache (<see cref="FileStatCache"/>) carries its header alone: its sections are read and
/// parsed from the file the first time one is asked for, and that read is checked against the cached content hash
/// (<see cref="IsDeferred"/>).
/// </remarks>
public sealed record MigrationFile
{
    private readonly MigrationSection? _upgrade;
    private readonly MigrationSection? _downgrade;
    private readonly MigrationSection? _backfill;
    private readonly Lazy<MigrationSections>? _deferred;
    private readonly bool _hasDowngrade;
    private readonly bool _hasBackfill;
    private readonly bool _upgradeTransactional;

    // Upgrade comes from every initializer (it is required) or from the deferred sections; the compiler sees neither
    // through the backing field.
#pragma warning disable CS8618
    public MigrationFile()
    {
    }

    /// <summary>A file whose header comes from the stat cache; <paramref name="sections"/> reads and parses it when first needed.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    internal MigrationFile(CachedFileHeader header, string path, Func<MigrationSections> sections)
    {
        Path = path;
        Revision = header.Revision;
        DownRevisions = header.Parents;
        Message = header.Message;
        Checksum = header.Checksum;
        RevisionLine = header.RevisionLine;
        DownRevisionLine = header.DownRevisionLine;
        _hasDowngrade = header.HasDowngrade;
        _hasBackfill = header.HasBackfill;
        _upgradeTransactional = header.UpgradeTransactional;
        _deferred = new Lazy<MigrationSections>(sections, LazyThreadSafetyMode.ExecutionAndPublication);
    }
#pragma warning restore CS8618

    /// <summary>The path the file was read from (as given to the loader).</summary>
    public required string Path { get; init; }

    /// <summary>The revision id: the <c>revision</c> header, or the file name without <c>.sql</c>.</summary>
    public required string Revision { get; init; }

    /// <summary>Parent revision ids: empty for the base, two or more for a merge.</summary>
    public required IReadOnlyList<string> DownRevisions { get; init; }

    /// <summary>The <c>message</c> header, when present.</summary>
    public string? Message { get; init; }

    public required MigrationSection Upgrade { get => _deferred?.Value.Upgrade ?? _upgrade!; init => _upgrade = value; }

    /// <summary>Null when the file has no downgrade section: the revision is irreversible.</summary>
    public MigrationSection? Downgrade { get => _deferred is null ? _downgrade : _deferred.Value.Downgrade; init => _downgrade = value; }

    /// <summary>
    /// The <c>-- migrate:backfill</c> section, or null: data-changing statements that each run again and again, each
    /// run in its own transaction, after the upgrade section has committed, until a run changes no row
    /// (<see cref="MigrationSection.Pause"/> between runs). Not part of <see cref="Checksum"/>.
    /// </summary>
    public MigrationSection? Backfill { get => _deferred is null ? _backfill : _deferred.Value.Backfill; init => _backfill = value; }

    /// <summary>Lower-case hex SHA-256 of the upgrade section (see <see cref="MigrationChecksum"/>).</summary>
    public required string Checksum { get; init; }

    /// <summary>1-based line of the <c>revision</c> header, or 1 when the id comes from the file name.</summary>
    public int RevisionLine { get; init; } = 1;

    /// <summary>1-based line of the <c>down_revision</c> header.</summary>
    public int DownRevisionLine { get; init; } = 1;

    /// <summary>True while the sections of a file known from the stat cache have not been read yet.</summary>
    public bool IsDeferred => _deferred is { IsValueCreated: false };

    /// <summary>Reads and checks the sections of a deferred file now (nothing for a parsed one).</summary>
    public void ReadSections() => _ = _deferred?.Value;

    public bool IsBase => DownRevisions.Count == 0;

    public bool IsMerge => DownRevisions.Count > 1;

    public bool IsReversible => _deferred is null ? _downgrade is not null : _hasDowngrade;

    /// <summary>Whether the upgrade section runs in a transaction (known without reading a deferred file).</summary>
    public bool IsUpgradeTransactional => _deferred is null ? Upgrade.Transactional : _upgradeTransactional;

    /// <summary>True for a file known from the stat cache, whose sections are read when first needed.</summary>
    internal bool HasDeferredSections => _deferred is not null;

    public bool HasBackfill => _deferred is null ? _backfill is not null : _hasBackfill;

    /// <summary>
    /// The C# class of a code revision (<see cref="Code.CodeMigration"/>), or null for a <c>.sql</c> file. A code
    /// revision's sections hold no statements: the runner calls the class instead.
    /// </summary>
    public Code.CodeMigration? Code { get; init; }

    public bool IsCode => Code is not null;

    /// <summary>Why the revision is irreversible, for messages.</summary>
    public string NoDowngrade => IsCode ? "its C# class does not override DowngradeAsync" : "it has no -- migrate:downgrade section";

    /// <summary>The file name alone, for messages.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
}
