using System.Text.Json.Serialization;
using ProbeOps.Migrate.Json;

namespace ProbeOps.Migrate.Cli.Json;

/// <summary>
/// The source-generated serializer of every <c>--json</c> document: no reflection, so the Native AOT
/// build stays trim-safe. A new command adds its document record here and to docs/json.md.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FailureDocument))]
[JsonSerializable(typeof(InitDocument))]
[JsonSerializable(typeof(NewRevisionDocument))]
[JsonSerializable(typeof(ValidateDocument))]
[JsonSerializable(typeof(LintDocument))]
[JsonSerializable(typeof(HeadsDocument))]
[JsonSerializable(typeof(HistoryDocument))]
[JsonSerializable(typeof(ShowDocument))]
[JsonSerializable(typeof(CurrentDocument))]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(RunDocument))]
[JsonSerializable(typeof(ScriptDocument))]
[JsonSerializable(typeof(StampDocument))]
[JsonSerializable(typeof(AmendDocument))]
[JsonSerializable(typeof(ResetDocument))]
[JsonSerializable(typeof(DriftDocument))]
[JsonSerializable(typeof(SnapshotDocument))]
[JsonSerializable(typeof(DeployReportDocument))]
[JsonSerializable(typeof(FleetReportDocument))]
[JsonSerializable(typeof(BackupCommandDocument))]
[JsonSerializable(typeof(RestoreDocument))]
[JsonSerializable(typeof(ImportAlembicDocument))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
