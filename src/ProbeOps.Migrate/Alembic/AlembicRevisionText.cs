using System.Text;

namespace ProbeOps.Migrate.Alembic;

/// <summary>The text of one imported revision file, in the format of docs/file-format.md.</summary>
internal static class AlembicRevisionText
{
    public static string Write(PlannedRevision planned, AlembicProject project, RevisionSql upgrade, RevisionSql? downgrade)
    {
        var revision = planned.Alembic;
        var isMerge = revision.DownRevisions.Count > 1;
        var source = Path.GetRelativePath(Path.GetDirectoryName(project.IniFile)!, revision.SourceFile);
        var text = new StringBuilder()
            .Append("-- revision: ").Append(revision.Id).Append('\n')
            .Append("-- down_revision: ").Append(revision.DownRevisions.Count == 0 ? "none" : string.Join(", ", revision.DownRevisions)).Append('\n')
            .Append("-- message: ").Append(revision.Message.Length > 0 ? revision.Message : $"Alembic revision {revision.Id}").Append('\n')
            .Append('\n')
            .Append("-- Imported from the Alembic script ").Append(source).Append("; SQL written by Alembic's offline mode.\n")
            .Append('\n');
        Section(text, "upgrade", upgrade, emptyNote: isMerge ? null : "-- Alembic's upgrade() wrote no SQL.\nSELECT 1;");
        if (downgrade is not null)
        {
            text.Append('\n');
            Section(text, "downgrade", downgrade, emptyNote: null);
        }

        return text.ToString();
    }

    /// <summary>A marker and its statements; an empty upgrade of a plain revision gets a no-op statement, as a section must hold one.</summary>
    private static void Section(StringBuilder text, string name, RevisionSql sql, string? emptyNote)
    {
        text.Append("-- migrate:").Append(name).Append(sql.OutsideTransaction ? " transaction:false" : "").Append('\n');
        var body = sql.Text.Length > 0 ? sql.Text : emptyNote;
        if (body is not null)
        {
            text.Append(body).Append('\n');
        }
    }
}
