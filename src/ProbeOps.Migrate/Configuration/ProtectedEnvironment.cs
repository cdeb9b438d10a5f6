namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// The guardrails of a protected environment (SPEC §14), checked before anything connects: what cannot be
/// undone without a backup is refused whatever the flags (exit 10; only the configuration can allow it),
/// and a flag that accepts a risk needs a written reason. Outside a protected environment nothing here refuses.
/// </summary>
public static class ProtectedEnvironment
{
    /// <summary>Throws (exit 10) in a protected environment: <paramref name="action"/> (<c>reset</c>, <c>--no-backup</c>) is refused outright.</summary>
    public static void RefuseIrreversible(MigrateSettings settings, string action)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Protected)
        {
            throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"{action} is refused in the protected environment {settings.Environment}: it cannot be undone without a backup, and no flag allows it. " +
                $"To allow it, the configuration must change: remove \"protected\": true from environment {settings.Environment} in {settings.ConfigFile}. Nothing was changed.");
        }
    }

    /// <summary>
    /// Throws (exit 10) in a protected environment when a risk-accepting flag of <paramref name="accepted"/> is given
    /// without a <paramref name="reason"/> (recorded in the report and the audit log).
    /// </summary>
    public static void RequireReason(MigrateSettings settings, IReadOnlyList<string> accepted, string? reason)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(accepted);
        if (settings.Protected && accepted.Count > 0 && string.IsNullOrWhiteSpace(reason))
        {
            throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"{string.Join(" and ", accepted)} in the protected environment {settings.Environment} needs --reason TEXT saying why; " +
                "the reason is recorded in the deployment report and the audit log. Nothing was changed.");
        }
    }

    /// <summary>The environment for a line of output: <c>production (protected)</c>, or null without one.</summary>
    public static string? Describe(MigrateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Describe(settings.Environment, settings.Protected);
    }

    /// <inheritdoc cref="Describe(MigrateSettings)"/>
    public static string? Describe(string? environment, bool isProtected) =>
        environment is null ? null : isProtected ? $"{environment} (protected)" : environment;
}
