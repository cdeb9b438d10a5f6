using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

/// <summary>pg_dump and pg_restore against the test server, and the discovery of the client programs.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlBackupToolTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PostgresServer Server => PostgresServer.Shared;

    private static string Password => new NpgsqlConnectionStringBuilder(Server.AdminTarget.ConnectionString).Password!;

    /// <summary>The real client programs of the test run: the server's bin directory, else PATH.</summary>
    private static PostgreSqlBackupTool RealTool() => new(new ClientToolOptions(Server.BinDirectory));

    private static async Task ExecAsync(TestDatabase db, string sql)
    {
        await using var connection = await Server.OpenConnectionAsync(db);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(TestDatabase db, string sql)
    {
        await using var connection = await Server.OpenConnectionAsync(db);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>An empty file with mode 0600.</summary>
    private string PrivateFile(string name)
    {
        var path = _dir.Combine(name);
        using (File.Create(path))
        {
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Runs the tool's backup into a new private file, as the backup service does.</summary>
    private static async Task BackupToAsync(PostgreSqlBackupTool tool, DatabaseTarget target, string path, CancellationToken cancellationToken = default)
    {
        await using var file = HashingFileStream.CreateNew(path);
        await tool.BackupAsync(target, file, path, cancellationToken);
    }

    [Theory]
    [InlineData("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "15.18", 15)]
    [InlineData("pg_dump (PostgreSQL) 18.1", "18.1", 18)]
    [InlineData("pg_restore (PostgreSQL) 16beta2", "16beta2", 16)]
    [InlineData("pg_dump (PostgreSQL) 9.6.0", "9.6.0", 9)]
    [InlineData("psql (PostgreSQL) 17.2 (Ubuntu 17.2-1.pgdg24.04+1)\n", "17.2", 17)]
    [InlineData("pg_dump (PostgreSQL) 19devel", "19devel", 19)]
    [InlineData("pg_dump 14.5", "14.5", 14)]
    public void Version_is_read_from_the_version_line(string output, string version, int major)
    {
        var parsed = PostgreSqlClientTools.ParseVersion(output);

        Assert.NotNull(parsed);
        Assert.Equal(version, parsed.Value.Text);
        Assert.Equal(major, parsed.Value.Major);
    }

    [Theory]
    [InlineData("")]
    [InlineData("command not found")]
    [InlineData("pg_dump (PostgreSQL) unknown")]
    public void Output_without_a_version_reads_as_none(string output) =>
        Assert.Null(PostgreSqlClientTools.ParseVersion(output));

    [Fact]
    public void Release_lines_compare_like_the_server_version_number()
    {
        Assert.Equal(1500, PostgreSqlClientTools.ParseVersion("pg_dump (PostgreSQL) 15.18")!.Value.ReleaseLine);
        Assert.Equal(906, PostgreSqlClientTools.ParseVersion("pg_dump (PostgreSQL) 9.6.0")!.Value.ReleaseLine);
        Assert.Equal(1500, PgVersion.ReleaseLineOf(150018));
        Assert.Equal(906, PgVersion.ReleaseLineOf(90624));
        Assert.True(PostgreSqlClientTools.ParseVersion("9.5.3")!.Value.ReleaseLine < PgVersion.ReleaseLineOf(90624));
    }

    [Fact]
    public void Programs_are_found_in_the_bin_directory_before_PATH()
    {
        var bin = FakeClientTools.WriteVersionOnly(_dir.Combine("bin"), "18.1", "pg_dump");
        var onPath = FakeClientTools.WriteVersionOnly(_dir.Combine("path"), "15.0", "pg_dump", "pg_restore");
        _dir.Write("path2/psql", "not executable");

        Assert.Equal(Path.Combine(bin, "pg_dump"), PostgreSqlClientTools.Find("pg_dump", bin, onPath));
        Assert.Equal(Path.Combine(onPath, "pg_restore"), PostgreSqlClientTools.Find("pg_restore", bin, onPath));
        Assert.Null(PostgreSqlClientTools.Find("psql", bin, onPath + Path.PathSeparator + _dir.Combine("path2")));
        Assert.Null(PostgreSqlClientTools.Find("pg_dump", null, ""));
    }

    [Fact]
    public void Connection_reaches_the_client_through_libpq_variables()
    {
        var target = PostgreSqlConnectionSettings.Parse("postgres://app:s3cret-pass@db.example:6543/orders?sslmode=require&application_name=deployer");

        var environment = PostgreSqlClientTools.LibpqEnvironment(target);

        Assert.Equal("db.example", environment["PGHOST"]);
        Assert.Equal("6543", environment["PGPORT"]);
        Assert.Equal("app", environment["PGUSER"]);
        Assert.Equal("s3cret-pass", environment["PGPASSWORD"]);
        Assert.Equal("orders", environment["PGDATABASE"]);
        Assert.Equal("require", environment["PGSSLMODE"]);
        Assert.Equal("deployer", environment["PGAPPNAME"]);

        // Inherited settings that could point the child elsewhere are cleared.
        Assert.True(environment.ContainsKey("PGSERVICE"));
        Assert.Null(environment["PGSERVICE"]);
    }

    [Fact]
    public void Several_hosts_become_libpq_host_and_port_lists()
    {
        var target = PostgreSqlConnectionSettings.Parse("postgresql://u@one:5433,two,[::1]:5434/db");

        var environment = PostgreSqlClientTools.LibpqEnvironment(target);

        Assert.Equal("one,two,::1", environment["PGHOST"]);
        Assert.Equal("5433,5432,5434", environment["PGPORT"]);
        Assert.Equal("prefer", environment["PGSSLMODE"]);
        Assert.Equal("probeops-migrate", environment["PGAPPNAME"]);
        Assert.False(environment.ContainsKey("PGPASSWORD"));
    }

    [Fact]
    public async Task Client_of_the_server_version_is_compatible()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        var report = await RealTool().CheckClientAsync(session, CancellationToken.None);

        Assert.True(report.IsCompatible, string.Join(" ", report.Problems));
        Assert.Equal(session.ServerVersion, report.ServerVersion);
        Assert.Equal(session.ServerVersionNumber / 10000, report.ServerMajor);
        var dump = Assert.Single(report.Tools, t => t.Name == "pg_dump");
        Assert.True(dump.Major >= report.ServerMajor);
        Assert.Contains(report.Tools, t => t.Name == "pg_restore");
    }

    [Fact]
    public async Task Client_older_than_the_server_is_a_problem_naming_both_versions_and_the_fix()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var bin = FakeClientTools.WriteVersionOnly(_dir.Combine("old"), "9.6.0");

        var report = await new PostgreSqlBackupTool(new ClientToolOptions(bin), "").CheckClientAsync(session, CancellationToken.None);

        Assert.False(report.IsCompatible);
        var problem = Assert.Single(report.Problems);
        var major = session.ServerVersionNumber / 10000;
        Assert.StartsWith($"pg_dump 9.6.0 cannot back up PostgreSQL {session.ServerVersion} and pg_restore 9.6.0 cannot restore its backups:", problem, StringComparison.Ordinal);
        Assert.Contains($"postgresql-client-{major}", problem, StringComparison.Ordinal);
        Assert.Contains("--pg-bin-dir", problem, StringComparison.Ordinal);
        Assert.Equal("9.6.0", Assert.Single(report.Tools, t => t.Name == "pg_dump").Version);
    }

    [Fact]
    public async Task Client_newer_than_the_server_is_fine_and_psql_is_not_required()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var bin = FakeClientTools.WriteVersionOnly(_dir.Combine("new"), "99.1");

        var report = await new PostgreSqlBackupTool(new ClientToolOptions(bin), "").CheckClientAsync(session, CancellationToken.None);

        Assert.True(report.IsCompatible, string.Join(" ", report.Problems));
        Assert.Equal(["pg_dump", "pg_restore"], report.Tools.Select(t => t.Name));
        Assert.All(report.Tools, t => Assert.Equal(99, t.Major));
    }

    [Fact]
    public async Task Missing_programs_name_where_they_were_looked_for()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var empty = Directory.CreateDirectory(_dir.Combine("empty")).FullName;
        var major = session.ServerVersionNumber / 10000;

        var withDir = await new PostgreSqlBackupTool(new ClientToolOptions(empty), "").CheckClientAsync(session, CancellationToken.None);
        var withoutDir = await new PostgreSqlBackupTool(new ClientToolOptions(null), "").CheckClientAsync(session, CancellationToken.None);

        Assert.Equal(
            [
                $"pg_dump not found in --pg-bin-dir {empty} or PATH: install postgresql-client-{major} or pass --pg-bin-dir.",
                $"pg_restore not found in --pg-bin-dir {empty} or PATH: install postgresql-client-{major} or pass --pg-bin-dir.",
            ],
            withDir.Problems);
        Assert.Equal($"pg_dump not found on PATH: install postgresql-client-{major} or pass --pg-bin-dir.", withoutDir.Problems[0]);
        Assert.Empty(withDir.Tools);
    }

    [Fact]
    public async Task Program_without_a_version_is_a_problem()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var bin = _dir.Combine("odd");
        FakeClientTools.Write(bin, "pg_dump", "#!/bin/sh\necho 'something else entirely'");
        FakeClientTools.WriteVersionOnly(bin, "15.2", "pg_restore");

        var report = await new PostgreSqlBackupTool(new ClientToolOptions(bin), "").CheckClientAsync(session, CancellationToken.None);

        var problem = Assert.Single(report.Problems);
        Assert.Contains("did not report a PostgreSQL version (something else entirely)", problem, StringComparison.Ordinal);
        Assert.Equal("unknown", report.Tools.Single(t => t.Name == "pg_dump").Version);
    }

    [Fact]
    public async Task Backup_verify_and_restore_round_trip_brings_the_data_back()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await ExecAsync(db, "CREATE TABLE probes (id int PRIMARY KEY, name text NOT NULL); INSERT INTO probes VALUES (1, 'alpha'), (2, 'beta');");
        var path = _dir.Combine("round.dump");
        var tool = RealTool();

        await BackupToAsync(tool, db.Target, path);
        await tool.VerifyAsync(path, CancellationToken.None);
        await ExecAsync(db, "DELETE FROM probes WHERE id = 1; UPDATE probes SET name = 'changed'; CREATE TABLE extra_rows (id int);");
        await using (var session = await PostgreSqlTestSession.OpenAsync(db))
        {
            await tool.RestoreAsync(session, path, CancellationToken.None);
        }

        Assert.Equal("alpha,beta", await ScalarAsync<string>(db, "SELECT string_agg(name, ',' ORDER BY id) FROM probes"));
        Assert.True(await ScalarAsync<bool>(db, "SELECT to_regclass('public.extra_rows') IS NULL"));
        Assert.True(new FileInfo(path).Length > 0);
    }

    [Fact]
    public async Task Backup_keeps_the_private_mode_of_the_file()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await ExecAsync(db, "CREATE TABLE t (id int)");
        var path = _dir.Combine("private.dump");

        await BackupToAsync(RealTool(), db.Target, path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(new FileInfo(path).Length > 0);
    }

    [Fact]
    public async Task Password_travels_in_the_environment_never_on_the_command_line()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var bin = _dir.Combine("spy");
        var argsFile = _dir.Combine("args.txt");
        var envFile = _dir.Combine("env.txt");
        FakeClientTools.Write(bin, "pg_dump", $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{argsFile}'\nenv | grep '^PG' > '{envFile}'\nexit 0");
        var path = _dir.Combine("spy.dump");

        await BackupToAsync(new PostgreSqlBackupTool(new ClientToolOptions(bin), ""), db.Target, path);

        var args = File.ReadAllLines(argsFile);
        Assert.Equal(["--format=custom", "--no-password"], args);
        var environment = File.ReadAllLines(envFile);
        Assert.Contains("PGPASSWORD=" + Password, environment);
        Assert.Contains("PGDATABASE=" + db.Name, environment);
        Assert.Contains(environment, line => line.StartsWith("PGHOST=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failed_backup_is_one_line_naming_pg_dump_without_the_password()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var wrong = PostgreSqlConnectionSettings.Parse(db.Url.Replace(":" + Password + "@", ":wrong-secret-pw@", StringComparison.Ordinal));
        var path = _dir.Combine("failed.dump");

        var error = await Assert.ThrowsAsync<MigrateException>(() => BackupToAsync(RealTool(), wrong, path));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.StartsWith($"pg_dump could not back up {wrong.Display} (exit 1): pg_dump: error:", error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-pw", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Verify_refuses_an_empty_or_damaged_file()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await ExecAsync(db, "CREATE TABLE t (id int)");
        var good = _dir.Combine("good.dump");
        var tool = RealTool();
        await BackupToAsync(tool, db.Target, good);
        var damaged = _dir.Combine("damaged.dump");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(damaged, bytes[..Math.Min(bytes.Length, 40)]);
        var empty = PrivateFile("empty.dump");
        var text = _dir.Write("text.dump", "SELECT 1;\n");

        foreach (var bad in new[] { damaged, empty, text })
        {
            var error = await Assert.ThrowsAsync<MigrateException>(() => tool.VerifyAsync(bad, CancellationToken.None));
            Assert.Equal(FailureKind.BackupFailed, error.Kind);
            Assert.StartsWith($"The backup {bad} is not readable", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Verify_reads_every_data_block_so_a_cut_archive_fails()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await ExecAsync(db, "CREATE TABLE probes (id int PRIMARY KEY, v text); INSERT INTO probes SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 50000) g;");
        var info = await new BackupService(RealTool(), TimeProvider.System).CreateAsync(db.Target, _dir.Combine("backups"), "base", keep: null, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(info.Path);
        Assert.True(bytes.Length > 1 << 20, $"the dump is only {bytes.Length} bytes");

        // The table of contents is whole; the data blocks stop halfway.
        var cut = _dir.Combine("cut.dump");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        var error = await Assert.ThrowsAsync<MigrateException>(() => RealTool().VerifyAsync(cut, CancellationToken.None));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.StartsWith($"The backup {cut} is not readable", error.Message, StringComparison.Ordinal);
        Assert.Contains("end of file", error.Message, StringComparison.Ordinal);
        await RealTool().VerifyAsync(info.Path, CancellationToken.None);
    }

    [Fact]
    public async Task Failed_restore_names_the_error_and_leaves_the_database_unchanged()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var role = "probeops_gone_" + Guid.NewGuid().ToString("N")[..8];
        await ExecAsync(db, $"CREATE TABLE probes (id int PRIMARY KEY); INSERT INTO probes VALUES (1); CREATE ROLE {role}; GRANT SELECT ON probes TO {role};");
        var path = _dir.Combine("restore.dump");
        var tool = RealTool();
        await BackupToAsync(tool, db.Target, path);

        // The backup grants to a role that is gone by now: the restore stops at that statement, after dropping everything.
        await ExecAsync(db, $"REVOKE ALL ON probes FROM {role}; DROP ROLE {role}; INSERT INTO probes VALUES (2); CREATE VIEW probe_view AS SELECT id FROM probes;");
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var error = await Assert.ThrowsAsync<MigrateException>(() => tool.RestoreAsync(session, path, CancellationToken.None));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.StartsWith($"Restoring {path} over {db.Target.Display} failed (psql exit 3): ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"role \"{role}\" does not exist", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("the database is unchanged.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.Equal(2L, await ScalarAsync<long>(db, "SELECT count(*) FROM probes"));
        Assert.Equal("probe_view", await ScalarAsync<string>(db, "SELECT to_regclass('public.probe_view')::text"));
    }

    [Fact]
    public async Task A_backup_that_cannot_be_read_is_refused_before_anything_runs()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await ExecAsync(db, "CREATE TABLE probes (id int PRIMARY KEY);");
        var path = PrivateFile("not-a-dump.dump");
        File.WriteAllText(path, "not an archive");
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        var error = await Assert.ThrowsAsync<MigrateException>(() => RealTool().RestoreAsync(session, path, CancellationToken.None));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.StartsWith($"pg_restore could not read {path}", error.Message, StringComparison.Ordinal);
        Assert.Equal("probes", await ScalarAsync<string>(db, "SELECT to_regclass('public.probes')::text"));
    }

    [Fact]
    public async Task Cancelling_stops_the_client_program()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var bin = _dir.Combine("slow");
        var pidFile = _dir.Combine("pg_dump.pid");
        FakeClientTools.Write(bin, "pg_dump", $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 600");
        var path = _dir.Combine("slow.dump");
        using var cancel = new CancellationTokenSource();

        var backup = BackupToAsync(new PostgreSqlBackupTool(new ClientToolOptions(bin), ""), db.Target, path, cancel.Token);
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0)
        {
            Assert.False(backup.IsCompleted, "the backup ended before its client program started");
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backup);

        // The program was killed, not waited for: its process is gone once the cancelled call returns.
        var pid = File.ReadAllText(pidFile).Trim();
        Assert.False(Directory.Exists("/proc/" + pid), $"pg_dump (pid {pid}) is still running");
    }

    [Fact]
    public async Task Backup_service_writes_a_verified_private_dump_with_its_checksum()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await ExecAsync(db, "CREATE TABLE t (id int); INSERT INTO t VALUES (7);");
        var service = new BackupService(RealTool(), TimeProvider.System);

        var info = await service.CreateAsync(db.Target, _dir.Combine("backups"), "base", keep: null, CancellationToken.None);

        Assert.StartsWith(db.Name + "_", Path.GetFileName(info.Path), StringComparison.Ordinal);
        Assert.EndsWith("_base.dump", info.Path, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(info.Path));
        Assert.Equal(await BackupService.Sha256Async(info.Path, CancellationToken.None), info.Sha256);
        Assert.StartsWith(info.Sha256 + "  ", await File.ReadAllTextAsync(info.ChecksumFile), StringComparison.Ordinal);
    }
}
