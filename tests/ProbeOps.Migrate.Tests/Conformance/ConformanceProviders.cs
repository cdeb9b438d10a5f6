namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>Every engine the conformance scenarios run against: add a fixture here and the whole suite runs on it.</summary>
public static class ConformanceProviders
{
    private static readonly ProviderFixture[] Fixtures = [new PostgreSqlFixture(), new SqliteFixture()];

    /// <summary>The theory data of every scenario: one case per engine, by name.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var fixture in Fixtures)
            {
                data.Add(fixture.Name);
            }

            return data;
        }
    }

    public static ProviderFixture Get(string name) => Fixtures.Single(f => f.Name == name);
}
