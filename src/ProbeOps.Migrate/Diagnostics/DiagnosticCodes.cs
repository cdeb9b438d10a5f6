namespace ProbeOps.Migrate.Diagnostics;

/// <summary>
/// Stable diagnostic codes. PM1xx are about one file, PM2xx about the revision graph.
/// Codes are never reused for a different meaning; scripts may match on them.
/// </summary>
public static class DiagnosticCodes
{
    // One file.
    public const string UnreadableFile = "PM100";
    public const string FileNameConvention = "PM101";
    public const string InvalidEncoding = "PM102";
    public const string MalformedHeaderLine = "PM103";
    public const string UnknownHeaderKey = "PM104";
    public const string DuplicateHeaderKey = "PM105";
    public const string MissingDownRevision = "PM106";
    public const string InvalidRevisionId = "PM107";
    public const string MissingUpgradeSection = "PM108";
    public const string EmptyUpgradeSection = "PM109";
    public const string DuplicateSection = "PM110";
    public const string UnknownSectionOption = "PM111";
    public const string ContentOutsideSection = "PM112";
    public const string StatementNeedsNoTransaction = "PM113";
    public const string SectionOrder = "PM114";
    public const string EmptyHeaderValue = "PM115";
    public const string UnterminatedSql = "PM116";
    public const string PsqlSyntax = "PM117";
    public const string CopyNotSupported = "PM118";
    public const string EmptyBackfillSection = "PM119";
    public const string RepeatableShape = "PM120";
    public const string MissingPlaceholder = "PM121";
    public const string CodeMigrationShape = "PM122";

    // The revision graph.
    public const string NoBase = "PM200";
    public const string MultipleBases = "PM201";
    public const string MissingParent = "PM202";
    public const string Cycle = "PM203";
    public const string DuplicateRevision = "PM204";
    public const string MultipleHeads = "PM205";
    public const string DateOrder = "PM206";
    public const string EmptyDirectory = "PM207";
}
