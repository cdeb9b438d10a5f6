using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using ProbeOps.Migrate.Bench.Schema;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Schema;

// Introspecting and comparing a large schema, against pg_dump --schema-only on the same database,
// measured in the same run. Usage: dotnet run -c Release -- URL [TABLES] (URL of a superuser or a
// role that may create databases; the benchmark database is created and dropped).
var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("PROBEOPS_BENCH_PG_URL")
    ?? throw new ArgumentException("Give the server: bench/schema/run.sh, or dotnet run -- postgres://user:pass@host:port/postgres [tables]");
var tables = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
const int Runs = 5;

var admin = new NpgsqlConnectionStringBuilder(PostgreSqlConnectionSettings.Parse(url).ConnectionString);
var name = "probeops_bench_schema_" + Guid.NewGuid().ToString("N")[..8];
await ExecAsync(admin.ConnectionString, $"CREATE DATABASE {name}");
var bench = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, SslMode = SslMode.Disable };
try
{
    var building = Stopwatch.StartNew();
    await BuildSchemaAsync(bench.ConnectionString, tables);
    Console.Error.WriteLine($"built {tables} tables in {building.Elapsed.TotalSeconds:0.0} s");

    await using var provider = new PostgreSqlProvider();
    var target = PostgreSqlConnectionSettings.Parse(bench.ConnectionString);
    var options = SessionOptions.Default;

    // This tool: read the schema (after one warm-up read), then compare two readings.
    var readTimes = new List<double>();
    var compareTimes = new List<double>();
    SchemaReadResult? last = null;
    await using (var session = await provider.OpenSessionAsync(target, options, CancellationToken.None))
    {
        var inspector = session.SchemaReader!;
        var warm = await inspector.ReadAsync(new SchemaReadOptions(), CancellationToken.None);
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            last = await inspector.ReadAsync(new SchemaReadOptions(), CancellationToken.None);
            readTimes.Add(watch.Elapsed.TotalMilliseconds);
        }

        // Compared apart from the reads, so their garbage is not collected on the comparison's clock.
        for (var i = 0; i <= Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var comparison = SchemaComparer.Compare(warm.Schema, last!.Schema);
            if (i > 0)
            {
                compareTimes.Add(watch.Elapsed.TotalMilliseconds);
            }

            if (comparison.HasDrift)
            {
                throw new InvalidOperationException("two readings of one schema differ: " + comparison.Differences[0]);
            }
        }
    }

    // The same reading through the counting relay.
    long inspectorRoundTrips;
    await using (var proxy = new RoundTripProxy(bench.Host!, bench.Port))
    {
        proxy.Start();
        var proxied = new NpgsqlConnectionStringBuilder(bench.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port };
        await using var session = await provider.OpenSessionAsync(PostgreSqlConnectionSettings.Parse(proxied.ConnectionString), options, CancellationToken.None);
        proxy.Reset();
        await session.SchemaReader!.ReadAsync(new SchemaReadOptions(), CancellationToken.None);
        inspectorRoundTrips = proxy.RoundTrips;
    }

    // pg_dump --schema-only, directly for time and through the relay for round trips (connection set-up included).
    var dumpTimes = new List<double>();
    for (var i = 0; i < 3; i++)
    {
        dumpTimes.Add(await PgDumpAsync(bench, bench.Host!, bench.Port));
    }

    long dumpRoundTrips;
    await using (var proxy = new RoundTripProxy(bench.Host!, bench.Port))
    {
        proxy.Start();
        await PgDumpAsync(bench, "127.0.0.1", proxy.Port);
        dumpRoundTrips = proxy.RoundTrips;
    }

    var schema = last!.Schema;
    var columns = schema.Tables.Sum(t => t.Columns.Count);
    var indexes = schema.Tables.Sum(t => t.Indexes.Count);
    var constraints = schema.Tables.Sum(t => t.Constraints.Count);
    await using var version = new NpgsqlConnection(bench.ConnectionString);
    await version.OpenAsync();
    await using var command = new NpgsqlCommand("SHOW server_version", version);
    var server = (string)(await command.ExecuteScalarAsync())!;

    var report = new StringBuilder();
    report.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL {server}; {schema.Tables.Count} tables, {columns} columns, {constraints} constraints, {indexes} indexes; median of {Runs} runs (pg_dump: of 3)");
    report.AppendLine();
    report.AppendLine("| | time | round trips |");
    report.AppendLine("|---|---:|---:|");
    report.AppendLine(CultureInfo.InvariantCulture, $"| probeops-migrate: read schema ({last.Queries} queries, one batch) | {Median(readTimes):0} ms | {inspectorRoundTrips} |");
    report.AppendLine(CultureInfo.InvariantCulture, $"| probeops-migrate: compare two readings | {Median(compareTimes):0} ms | 0 |");
    report.AppendLine(CultureInfo.InvariantCulture, $"| pg_dump --schema-only (connection included) | {Median(dumpTimes):0} ms | {dumpRoundTrips} |");
    Console.Write(report.ToString());
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (Environment.GetEnvironmentVariable("PROBEOPS_BENCH_KEEP") is "1")
    {
        Console.Error.WriteLine($"kept database {name}");
    }
    else
    {
        await ExecAsync(admin.ConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static async Task ExecAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

// Tables with 8 columns (identity, foreign key, unique, check, defaults, jsonb), 2 secondary indexes
// (one partial, one descending) and 4 constraints each, a view every 50 tables.
static async Task BuildSchemaAsync(string connectionString, int tables)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    for (var start = 0; start < tables; start += 100)
    {
        var sql = new StringBuilder("BEGIN;\n");
        for (var i = start; i < Math.Min(tables, start + 100); i++)
        {
            var t = $"t{i:D5}";
            var parent = i == 0 ? "" : $" REFERENCES t{i - 1:D5} (id) ON DELETE CASCADE";
            sql.Append(CultureInfo.InvariantCulture, $"""
                CREATE TABLE {t} (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    parent_id bigint{parent},
                    code text NOT NULL UNIQUE,
                    name text NOT NULL DEFAULT '',
                    amount numeric(12, 2) CHECK (amount >= 0),
                    status text NOT NULL DEFAULT 'new',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    payload jsonb);
                CREATE INDEX {t}_open ON {t} (status) WHERE status <> 'done';
                CREATE INDEX {t}_created ON {t} (created_at DESC, id);

                """);
            if (i % 50 == 49)
            {
                sql.Append(CultureInfo.InvariantCulture, $"CREATE VIEW {t}_open_view AS SELECT id, code FROM {t} WHERE status <> 'done';\n");
            }
        }

        sql.Append("COMMIT;");
        await using var command = new NpgsqlCommand(sql.ToString(), connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}

static async Task<double> PgDumpAsync(NpgsqlConnectionStringBuilder database, string host, int port)
{
    var dump = Environment.GetEnvironmentVariable("PROBEOPS_BENCH_PG_DUMP") ?? "pg_dump";
    var info = new ProcessStartInfo(dump)
    {
        RedirectStandardError = true,
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    info.ArgumentList.Add("--schema-only");
    info.ArgumentList.Add("--file=/dev/null");
    info.ArgumentList.Add($"host={host} port={port} dbname={database.Database} user={database.Username} sslmode=disable");
    info.Environment["PGPASSWORD"] = database.Password ?? "";
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var error = process.StandardError.ReadToEndAsync();
    await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    var elapsed = watch.Elapsed.TotalMilliseconds;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{dump} failed: {await error}");
    }

    return elapsed;
}
