using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Tests.Configuration;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("1h30m", 90 * 60_000)]
    [InlineData("2m30s", 150_000)]
    [InlineData("1h0m5s250ms", 3_605_250)]
    [InlineData("10min", 600_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 90 * 60_000)]
    [InlineData("0", 0)]
    public void Units_combine_from_the_largest_down(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.TryParse(text));

    [Theory]
    [InlineData("30")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("5 s")]
    [InlineData("1d")]
    [InlineData("h")]
    public void Bare_numbers_repeated_or_unordered_units_and_unknown_units_are_refused(string text) =>
        Assert.Null(Durations.TryParse(text));
}
