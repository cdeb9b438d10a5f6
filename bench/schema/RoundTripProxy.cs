using System.Net;
using System.Net.Sockets;

namespace ProbeOps.Migrate.Bench.Schema;

/// <summary>
/// A TCP relay between a client and the server that counts round trips: each time the server
/// answers after the client has sent something. The same yardstick for this tool and pg_dump,
/// whatever protocol features either uses.
/// </summary>
internal sealed class RoundTripProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Task> _pumps = [];
    private int _lastDirection;
    private long _roundTrips;
    private Task? _accepting;

    public RoundTripProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long RoundTrips
    {
        get
        {
            lock (_gate)
            {
                return _roundTrips;
            }
        }
    }

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public void Reset()
    {
        lock (_gate)
        {
            _roundTrips = 0;
            _lastDirection = 0;
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient { NoDelay = true };
                await server.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
                client.NoDelay = true;
                lock (_gate)
                {
                    _pumps.Add(PumpAsync(client, server, 1));
                    _pumps.Add(PumpAsync(server, client, 2));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, int direction)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                var read = await input.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                lock (_gate)
                {
                    if (direction == 2 && _lastDirection == 1)
                    {
                        _roundTrips++;
                    }

                    _lastDirection = direction;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            from.Close();
            to.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }

        Task[] pumps;
        lock (_gate)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
