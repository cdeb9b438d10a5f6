namespace ProbeOps.Migrate.Providers;

/// <summary>
/// A parsed database setting: which provider serves it and how to connect. <see cref="Display"/> is
/// the only form ever shown to a user, logged or written to a report: it carries no password, as the
/// provider builds it from the parsed parts (host, port, database, user), never from the setting as typed.
/// </summary>
/// <param name="Provider">The provider's name, e.g. <c>postgresql</c> or <c>sqlite</c>.</param>
/// <param name="ConnectionString">The provider-native connection string (may hold a password: never print it).</param>
/// <param name="Display">The connection as shown: e.g. <c>postgres://app:***@db:6543/orders</c> or <c>sqlite:data/app.db</c>.</param>
/// <param name="DatabaseName">The database name (PostgreSQL) or file name (SQLite), for confirmations and file names.</param>
public sealed record DatabaseTarget(string Provider, string ConnectionString, string Display, string DatabaseName)
{
    /// <summary>
    /// <see cref="Display"/> in a form that names the same database from any working directory (a
    /// relative SQLite path made absolute), for commands printed to be run later.
    /// </summary>
    public string AbsoluteDisplay { get; init; } = Display;

    /// <summary>Whether the setting carries a password that <see cref="Display"/> shows as <c>***</c>.</summary>
    public bool PasswordMasked { get; init; }

    /// <summary>Never expose the connection string through ToString.</summary>
    public override string ToString() => Display;
}
