using System.Runtime.Versioning;
using CsCheck;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Secrets;

/// <summary>
/// SPEC §4: a password is never printed, logged or written to a report. Random settings in every
/// accepted form and in malformed variants carry a random marker password through every database
/// command, with and without --json; the marker must show nowhere: stdout, stderr, or any file left
/// behind (deployment logs and reports, backups and their checksums, file names).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PasswordLeakPropertyTests
{
    private const int CasesPerCommand = 6;

    public static TheoryData<string, bool> EveryCommand()
    {
        var data = new TheoryData<string, bool>();
        foreach (var command in new[] { "validate", "current", "status", "upgrade", "downgrade", "stamp", "drift", "preflight", "deploy", "backup", "restore", "reset" })
        {
            data.Add(command, false);
            data.Add(command, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task No_command_shows_the_password_of_any_setting(string command, bool json)
    {
        await using var project = await LeakProject.CreateAsync();
        var target = project.Target;
        var settings = Gen.Frequency(
            (3, MarkedSettings.Accepted(target, Reach.Connects)),
            (1, MarkedSettings.Accepted(target, Reach.WrongPassword)),
            (3, MarkedSettings.Malformed(target)));

        await settings.SampleAsync(
            async setting =>
            {
                if (setting.Reach == Reach.Connects)
                {
                    await project.SetPasswordAsync(setting.Password);
                }

                var output = await InProcessCli.RunAsync(project.Dir.Path, project.Args(command, setting.Setting, json));

                LeakScanner.AssertNowhere(setting, output, project.Dir.Path, command);
                AssertClearOutcome(setting, output, command);
            },
            iter: CasesPerCommand,
            threads: 1);
    }

    [Theory]
    [InlineData("current", false)]
    [InlineData("deploy", true)]
    [InlineData("backup", false)]
    public async Task Refused_connections_do_not_show_the_password(string command, bool json)
    {
        await using var project = await LeakProject.CreateAsync();

        await MarkedSettings.Accepted(project.Target, Reach.Refused).SampleAsync(
            async setting =>
            {
                var output = await InProcessCli.RunAsync(project.Dir.Path, project.Args(command, setting.Setting, json));

                Assert.True(output.ExitCode == 4, output.ToString());
                LeakScanner.AssertNowhere(setting, output, project.Dir.Path, command);
            },
            iter: 2,
            threads: 1);
    }

    [Fact]
    public async Task The_real_process_shows_no_password_either()
    {
        await using var project = await LeakProject.CreateAsync();
        var target = project.Target;
        string[] commands = ["deploy", "status", "backup", "current", "drift"];
        var cases = Gen.Select(
            Gen.Frequency((1, MarkedSettings.Accepted(target, Reach.Connects)), (1, MarkedSettings.Malformed(target))),
            Gen.Int[0, commands.Length - 1],
            Gen.Bool);

        await cases.SampleAsync(
            async (setting, pick, json) =>
            {
                if (setting.Reach == Reach.Connects)
                {
                    await project.SetPasswordAsync(setting.Password);
                }

                var output = await CliProcess.RunAsync(project.Dir.Path, project.Args(commands[pick], setting.Setting, json));

                LeakScanner.AssertNowhere(setting, output, project.Dir.Path, commands[pick]);
                AssertClearOutcome(setting, output, commands[pick]);
            },
            iter: 5,
            threads: 1);
    }

    /// <summary>A malformed setting is a usage error; nothing ends in an internal error or a stack trace.</summary>
    private static void AssertClearOutcome(MarkedSetting setting, CliOutput output, string command)
    {
        if (setting.Reach == Reach.Malformed && command != "validate")
        {
            Assert.True(output.ExitCode == 2, $"{command}: {setting}\n{output}");
        }

        Assert.True(output.ExitCode != 1, $"{command}: {setting}\n{output}");
        Assert.DoesNotContain("   at ", output.Stderr, StringComparison.Ordinal);
    }
}
