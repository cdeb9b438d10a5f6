using Spectre.Console;

namespace ProbeOps.Migrate.Cli;

/// <summary>
/// Where the tool writes: plain writers for results and errors, and a rich console for progress
/// and prompts that exists only on a terminal. Tests pass their own writers.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, TextReader input, bool isTerminal)
{
    private IAnsiConsole? _ansi;

    public static CliConsole System() => new(
        Console.Out,
        Console.Error,
        Console.In,
        !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public TextReader In { get; } = input;

    /// <summary>True when a person is watching: progress bars and prompts are allowed.</summary>
    public bool IsTerminal { get; } = isTerminal;

    /// <summary>True when a person can answer a prompt.</summary>
    public bool CanPrompt => IsTerminal && !Console.IsInputRedirected;

    /// <summary>The rich console, created on first use so that <c>--help</c> never pays for it.</summary>
    public IAnsiConsole Ansi => _ansi ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Error),
        Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
    });
}
