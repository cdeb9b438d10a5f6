using ProbeOps.Migrate.Schema;
using ProbeOps.Migrate.Tests.Infrastructure;
using static ProbeOps.Migrate.Tests.Schema.SchemaTestSupport;

namespace ProbeOps.Migrate.Tests.Schema;

/// <summary>How differences are named and shown, on schemas read from a real PostgreSQL server.</summary>
public sealed class PostgreSqlDriftNamingTests
{
    [Fact]
    public async Task A_routine_is_excluded_by_its_argument_types_whatever_its_parameters_are_called()
    {
        await using var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var expected = (await ReadAsync(database.Url)).Schema;
        await ExecAsync(database, "CREATE FUNCTION public.f(p_id uuid, p_limit integer) RETURNS integer LANGUAGE sql AS 'SELECT p_limit'");
        var live = (await ReadAsync(database.Url)).Schema;

        var unexcluded = SchemaComparer.Compare(expected, live);
        var excluded = SchemaComparer.Compare(expected, live, new ComparisonOptions(["public.f(uuid, integer)"]));

        Assert.Equal(["+ function public.f(uuid, integer)"], unexcluded.Differences.Select(d => d.ToString()));
        Assert.False(excluded.HasDrift, Lines(excluded));
        Assert.Equal(1, excluded.ExcludedCount);
    }

    [Fact]
    public async Task A_long_privilege_list_shortened_in_a_report_still_names_the_role_whose_grant_changed()
    {
        var prefix = "probeops_grantee_" + Guid.NewGuid().ToString("N")[..6] + "_";
        var roles = Enumerable.Range(1, 8).Select(i => prefix + i).ToList();
        await using var database = await PostgresServer.Shared.CreateDatabaseAsync();
        try
        {
            await ExecAsync(database, "CREATE TABLE public.accounts (id int);" + string.Concat(roles.Select(r => $"CREATE ROLE {r}; GRANT SELECT, INSERT ON public.accounts TO {r};")));
            var expected = (await ReadAsync(database.Url, privileges: true)).Schema;
            await ExecAsync(database, $"GRANT UPDATE ON public.accounts TO {roles[5]}");

            var difference = Assert.Single(SchemaComparer.Compare(expected, (await ReadAsync(database.Url, privileges: true)).Schema).Differences);

            var line = difference.ToString();
            Assert.Contains(" … ", line, StringComparison.Ordinal);
            Assert.Contains($"{roles[5]}: INSERT, SELECT;", line, StringComparison.Ordinal);
            Assert.Contains($"{roles[5]}: INSERT, SELECT, UPDATE", line, StringComparison.Ordinal);
        }
        finally
        {
            await ExecAsync(database, string.Concat(roles.Select(r => $"DROP OWNED BY {r}; DROP ROLE {r};")));
        }
    }
}
