using System.Text.Json.Serialization;

namespace ProbeOps.Migrate.Json;

/// <summary>The source-generated serializer of the library's own JSON files (the deployment report).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DeployReportDocument))]
[JsonSerializable(typeof(FleetReportDocument))]
[JsonSerializable(typeof(string))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
