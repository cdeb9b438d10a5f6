using System.CommandLine;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>--dialect postgresql|sqlite</c>: which engine's SQL rules apply when no database says.</summary>
public static class DialectOption
{
    public static Option<string?> Create(string description)
    {
        var option = new Option<string?>("--dialect") { Description = description, HelpName = "postgresql|sqlite" };
        option.AcceptOnlyFromAmong([.. SqlDialects.All.Select(d => d.Name)]);
        return option;
    }

    /// <summary>The dialect chosen, or null when the option was not given.</summary>
    public static ISqlDialect? Chosen(ParseResult result, Option<string?> option) =>
        result.GetValue(option) is { } name ? SqlDialects.FromName(name) : null;
}
