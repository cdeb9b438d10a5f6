using System.Runtime.Versioning;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>Stand-ins for pg_dump, pg_restore and psql: small shell scripts in a directory of their own.</summary>
[UnsupportedOSPlatform("windows")]
public static class FakeClientTools
{
    /// <summary>Writes executable scripts named <paramref name="names"/> into <paramref name="directory"/> that print <c>NAME (PostgreSQL) VERSION</c> for <c>--version</c> and fail otherwise.</summary>
    public static string WriteVersionOnly(string directory, string version, params string[] names)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in names.Length == 0 ? ["pg_dump", "pg_restore"] : names)
        {
            Write(directory, name, $"""
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo "{name} (PostgreSQL) {version}"; exit 0; fi
                echo "{name}: error: this is a stand-in that only reports its version" >&2
                exit 1
                """);
        }

        return directory;
    }

    /// <summary>Writes an executable script and returns its path.</summary>
    public static string Write(string directory, string name, string script)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
