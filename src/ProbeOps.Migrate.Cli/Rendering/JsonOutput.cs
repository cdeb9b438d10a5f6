using System.Text;
using System.Text.Json;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>
/// Writes the one JSON document a <c>--json</c> command prints. Hand-written with
/// <see cref="Utf8JsonWriter"/>: no reflection, so start-up stays fast and trimming stays safe.
/// </summary>
public static class JsonOutput
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }


    public static void WriteDiagnostics(this Utf8JsonWriter writer, IEnumerable<Diagnostic> diagnostics)
    {
        writer.WriteStartArray("diagnostics");
        foreach (var d in diagnostics)
        {
            writer.WriteStartObject();
            writer.WriteString("code", d.Code);
            writer.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
            writer.WriteString("message", d.Message);
            if (d.File is not null)
            {
                writer.WriteString("file", d.File);
            }

            if (d.Line is int line)
            {
                writer.WriteNumber("line", line);
            }

            if (d.Revisions.Count > 0)
            {
                writer.WriteStrings("revisions", d.Revisions);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static void WriteError(TextWriter output, MigrateException error)
    {
        Write(output, w =>
        {
            w.WriteBoolean("ok", false);
            w.WriteNumber("exitCode", (int)error.Kind);
            w.WriteString("error", error.Message);
            if (error.Diagnostics.Count > 0)
            {
                w.WriteDiagnostics(error.Diagnostics);
            }

            if (error is Execution.MigrationFailedException failed)
            {
                w.WriteStartObject("failure");
                w.WriteString("revision", failed.Revision);
                if (failed.DeployId is not null)
                {
                    w.WriteString("deployId", failed.DeployId);
                }

                w.WriteString("direction", failed.Direction.ToString().ToLowerInvariant());
                if (failed.File is not null)
                {
                    w.WriteString("file", failed.File);
                }

                if (failed.Line is int line)
                {
                    w.WriteNumber("line", line);
                }

                w.WriteString("statement", failed.Statement);
                if (failed.SqlState is not null)
                {
                    w.WriteString("sqlState", failed.SqlState);
                }

                if (failed.ServerMessage is not null)
                {
                    w.WriteString("serverMessage", failed.ServerMessage);
                }

                w.WriteStrings("committed", failed.Committed);
                w.WriteEndObject();
            }
        });
    }
}
