using System.Diagnostics;
using System.Text;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>A client program to run: its path, arguments and environment (see <see cref="PgProcess.StartInfo"/>).</summary>
internal sealed record PgCommand(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment);

/// <summary>
/// Feeds one client program's output into another's input, with text of our own before and after it:
/// <c>pg_restore</c> writing a script, <c>psql</c> running it. Bytes pass through untouched and are never
/// held in memory whole.
/// </summary>
internal static class PgPipe
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Sends <paramref name="head"/>, the producer's standard output, then <paramref name="tail"/> to the
    /// consumer. The tail goes only after the producer has succeeded; otherwise the consumer is killed
    /// before its input ends, so a script cut short never reaches the end that commits it.
    /// </summary>
    /// <returns>Both results; the consumer's is null when it was killed because the producer failed.</returns>
    public static async Task<(PgProcessResult Producer, PgProcessResult? Consumer)> RunAsync(
        PgCommand producer, PgCommand consumer, string head, string tail, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var source = PgProcess.Start(PgProcess.StartInfo(producer.Program, producer.Arguments, producer.Environment));
        source.StandardInput.Close();
        var sourceErrors = PgProcess.ReadLinesAsync(source.StandardError);
        var sinkInfo = PgProcess.StartInfo(consumer.Program, consumer.Arguments, consumer.Environment);
        sinkInfo.StandardInputEncoding = Utf8;
        using var sink = StartOrKill(sinkInfo, source);
        var sinkOutput = PgProcess.ReadLinesAsync(sink.StandardOutput);
        var sinkErrors = PgProcess.ReadLinesAsync(sink.StandardError);
        try
        {
            var input = sink.StandardInput.BaseStream;
            await input.WriteAsync(Utf8.GetBytes(head), cancellationToken);
            await source.StandardOutput.BaseStream.CopyToAsync(input, cancellationToken);
            await source.WaitForExitAsync(cancellationToken);
            var produced = new PgProcessResult(source.ExitCode, [], await sourceErrors);
            if (source.ExitCode != 0)
            {
                await KillAsync(sink);
                return (produced, null);
            }

            await input.WriteAsync(Utf8.GetBytes(tail), cancellationToken);
            sink.StandardInput.Close();
            await sink.WaitForExitAsync(cancellationToken);
            return (produced, new PgProcessResult(sink.ExitCode, await sinkOutput, await sinkErrors));
        }
        catch (IOException)
        {
            // The consumer stopped reading: it exited on an error of its own, which is the one to report.
            await KillAsync(source);
            await sink.WaitForExitAsync(CancellationToken.None);
            return (new PgProcessResult(source.ExitCode, [], await sourceErrors), new PgProcessResult(sink.ExitCode, await sinkOutput, await sinkErrors));
        }
        catch (OperationCanceledException)
        {
            await KillAsync(source);
            await KillAsync(sink);
            throw;
        }
    }

    private static Process StartOrKill(ProcessStartInfo info, Process running)
    {
        try
        {
            return PgProcess.Start(info);
        }
        catch
        {
            PgProcess.Kill(running);
            throw;
        }
    }

    private static async Task KillAsync(Process process)
    {
        PgProcess.Kill(process);
        await process.WaitForExitAsync(CancellationToken.None);
    }
}
