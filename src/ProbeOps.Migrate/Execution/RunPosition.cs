using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;

namespace ProbeOps.Migrate.Execution;

/// <summary>Where a run stands, for error messages: the revision or repeatable running, its file and statement.</summary>
internal sealed class RunPosition
{
    public string? Id { get; private set; }

    public string? FilePath { get; private set; }

    /// <summary>The file as messages name it: <c>NAME.sql</c>, or <c>repeatable/NAME.sql</c>.</summary>
    public string? FileLabel { get; private set; }

    /// <summary>The line named when no statement is known.</summary>
    public int FirstLine { get; private set; }

    public SqlStatement? Statement { get; set; }

    public void At(Revision? revision)
    {
        Id = revision?.Id;
        FilePath = revision?.File?.Path;
        FileLabel = revision?.File?.FileName;
        FirstLine = revision?.File?.RevisionLine ?? 1;
        IsCode = revision?.File?.IsCode ?? false;
    }

    /// <summary>A C# code revision: it has no lines to point at.</summary>
    public bool IsCode { get; private set; }

    public void At(RepeatableMigration repeatable)
    {
        Id = repeatable.Id;
        FilePath = repeatable.Path;
        FileLabel = RepeatableMigration.Folder + "/" + repeatable.FileName;
        FirstLine = repeatable.Upgrade.MarkerLine;
        IsCode = false;
    }
}
