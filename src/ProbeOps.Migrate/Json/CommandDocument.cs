using System.Text.Json;
using System.Text.Json.Serialization;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Json;

/// <summary>
/// The envelope every <c>--json</c> document shares (docs/json.md): which command ran, whether it
/// succeeded, its exit code, and the error when it did not. A command's payload is a record that
/// derives from this one, so its fields sit beside the envelope's in one flat object.
/// </summary>
public abstract record CommandDocument
{
    /// <summary>The command, as typed (<c>status</c>); null when the command line named none that exists.</summary>
    [JsonPropertyOrder(-4)]
    public string? Command { get; init; }

    [JsonPropertyOrder(-3)]
    public bool Ok => Error is null;

    /// <summary>The process's exit code (SPEC §9): 0, or the code of <see cref="Error"/>.</summary>
    [JsonPropertyOrder(-2)]
    public int ExitCode => Error is null ? 0 : (int)Error.Failure;

    /// <summary>Why the command failed; null when it succeeded.</summary>
    [JsonPropertyOrder(-1)]
    public ErrorDocument? Error { get; init; }
}

/// <summary>The document of a command that failed before it had anything else to say: the envelope alone.</summary>
public sealed record FailureDocument : CommandDocument;

/// <summary>The one error shape: a kind named after the exit code, the one-line message, and details where they apply.</summary>
public sealed record ErrorDocument(
    [property: JsonIgnore] FailureKind Failure,
    string Message)
{
    /// <summary><c>usage</c>, <c>invalidMigrations</c>, <c>databaseUnreachable</c>, ...: the exit code by name.</summary>
    [JsonPropertyOrder(-1)]
    public string Kind => JsonNamingPolicy.CamelCase.ConvertName(Failure.ToString());

    /// <summary>The problems found in the files or graph, for an error caused by them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DiagnosticDocument>? Diagnostics { get; init; }

    /// <summary>The statement that failed, for a migration that failed (exit 8).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MigrationFailureDocument? Migration { get; init; }

    public static ErrorDocument From(MigrateException error) => new(error.Kind, error.Message)
    {
        Diagnostics = error.Diagnostics.Count == 0 ? null : error.Diagnostics.Select(DiagnosticDocument.From).ToList(),
        Migration = error is MigrationFailedException failed ? MigrationFailureDocument.From(failed) : null,
    };
}

/// <summary>One problem in the migration files or graph.</summary>
public sealed record DiagnosticDocument(string Code, string Severity, string Message, string? File, int? Line, IReadOnlyList<string> Revisions)
{
    public static DiagnosticDocument From(Diagnostic d) =>
        new(d.Code, d.Severity.ToString().ToLowerInvariant(), d.Message, d.File, d.Line, d.Revisions);
}

/// <summary>Where a migration failed: the revision, the statement and what the server said.</summary>
public sealed record MigrationFailureDocument(
    string Revision,
    string? DeployId,
    string Direction,
    string? File,
    int? Line,
    string Statement,
    string? SqlState,
    string? ServerMessage,
    IReadOnlyList<string> Committed)
{
    public static MigrationFailureDocument From(MigrationFailedException f) => new(
        f.Revision, f.DeployId, f.Direction.ToString().ToLowerInvariant(), f.File, f.Line, f.Statement, f.SqlState, f.ServerMessage, f.Committed);
}
