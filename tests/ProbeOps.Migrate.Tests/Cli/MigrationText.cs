namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>Builds migration file text for tests.</summary>
public static class MigrationText
{
    public static string File(string? downRevision, string upgrade, string? downgrade = null, string? message = null, string? revision = null, bool transactional = true)
    {
        var text = "";
        if (revision is not null)
        {
            text += $"-- revision: {revision}\n";
        }

        text += $"-- down_revision: {downRevision ?? "none"}\n";
        if (message is not null)
        {
            text += $"-- message: {message}\n";
        }

        text += $"\n-- migrate:upgrade{(transactional ? "" : " transaction:false")}\n{upgrade}\n";
        if (downgrade is not null)
        {
            text += $"\n-- migrate:downgrade\n{downgrade}\n";
        }

        return text;
    }
}
