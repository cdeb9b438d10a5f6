using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public sealed class SqliteSessionTests : IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Session_reports_the_library_version_as_text_and_number()
    {
        await using var session = await _dir.OpenAsync();

        var parts = session.ServerVersion.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal(
            (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1_000_000)
            + (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1_000)
            + int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture),
            session.ServerVersionNumber);
        Assert.True(session.ServerVersionNumber >= 3_008_008);
        Assert.True(session.Capabilities.TransactionalDdl);
        Assert.Equal("app.db", session.Target.DatabaseName);
    }

    [Theory]
    [InlineData("3.46.1", 3046001)]
    [InlineData("3.8.8", 3008008)]
    [InlineData("3.50.12", 3050012)]
    public void Version_numbers_follow_sqlite_numbering(string version, int expected)
    {
        Assert.Equal(expected, SqliteSession.ParseVersionNumber(version));
    }

    [Fact]
    public async Task Opening_creates_a_missing_database_file()
    {
        await using (var session = await _dir.OpenAsync("new.db"))
        {
            await session.Executor.ExecuteAsync(new SqlStatement("CREATE TABLE t (id INTEGER)", 1), CancellationToken.None);
        }

        Assert.True(File.Exists(_dir.File("new.db")));

        // Not pooled: the file is closed and can be moved once the session ends.
        File.Move(_dir.File("new.db"), _dir.File("moved.db"));
    }

    [Fact]
    public async Task Memory_database_works_and_vanishes_with_its_session()
    {
        var provider = new SqliteProvider();
        var target = provider.TryParse("sqlite::memory:")!;

        await using (var session = await provider.OpenSessionAsync(target, SessionOptions.Default, CancellationToken.None))
        {
            await session.Executor.ExecuteAsync(new SqlStatement("CREATE TABLE t (id INTEGER)", 1), CancellationToken.None);
            Assert.Equal(["t"], await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
            await using var held = await session.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
        }

        await using var fresh = await provider.OpenSessionAsync(target, SessionOptions.Default, CancellationToken.None);
        Assert.Equal(DatabaseState.Empty, await fresh.Inspector.GetStateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Missing_directory_is_reported_as_unreachable_in_one_line()
    {
        var target = _dir.Provider.TryParse("sqlite:" + _dir.File("no/such/dir/app.db"))!;

        var error = await Assert.ThrowsAsync<MigrateException>(
            () => _dir.Provider.OpenSessionAsync(target, SessionOptions.Default, CancellationToken.None));

        Assert.Equal(FailureKind.DatabaseUnreachable, error.Kind);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.File("no/such/dir"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_reported_as_unreachable()
    {
        await File.WriteAllTextAsync(_dir.File("notes.db"), new string('x', 4096));

        var error = await Assert.ThrowsAsync<MigrateException>(() => _dir.OpenAsync("notes.db"));

        Assert.Equal(FailureKind.DatabaseUnreachable, error.Kind);
        Assert.Contains("not a database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_is_not_a_database()
    {
        Directory.CreateDirectory(_dir.File("folder.db"));

        var error = await Assert.ThrowsAsync<MigrateException>(() => _dir.OpenAsync("folder.db"));

        Assert.Equal(FailureKind.DatabaseUnreachable, error.Kind);
        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
    }
}
