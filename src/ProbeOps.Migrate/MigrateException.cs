using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate;

/// <summary>
/// An operation cannot continue. Carries the kind of failure (which is the exit code) and a
/// one-line message meant for the user: what went wrong and what to do.
/// </summary>
public class MigrateException : Exception
{
    public MigrateException(FailureKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public MigrateException(FailureKind kind, string message, IReadOnlyList<Diagnostic> diagnostics)
        : base(message)
    {
        Kind = kind;
        Diagnostics = diagnostics;
    }

    public FailureKind Kind { get; }

    /// <summary>Findings behind the failure, when it is a validation failure.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = [];
}
