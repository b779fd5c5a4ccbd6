using System.Text;
using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>
/// The fault-injection suite: each test lands two good apc extracts (RVV: 3 spells, RWF: 2 spells)
/// beside one bad extract of a named kind, runs ingest (scan, register, stage, accounting), and
/// shows the bad one's reason code, the good ones staged, and rows read = staged + quarantined for
/// every staged extract (checked by <see cref="IngestAccounting"/> inside the pass, and again here).
/// Staging runs under a fixed clock: today is 2025-12-01.
/// </summary>
public class BadExtractTests : IDisposable
{
    private const string Header = TestQueries.ApcHeader;

    // NHS numbers: 9434765919 valid (Modulus 11 check 9); 9434765918 fails the check.
    private const string Good1 = "S1,RVV,2025-04-02,2025-04-05,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,100000000001";
    private const string Good2 = "S2,RVV,2025-04-10,2025-04-10,11,2,K359,100,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,100000000001";
    private const string Good3 = "S3,RVV,2025-04-20,2025-04-22,22,1,J440,300,4010232137,Bob,Sample,1949-01-02,1,ME1 1AA,";

    private readonly TempFolder folder = new();
    private readonly DatasetLayout layout;

    public BadExtractTests()
    {
        layout = new DatasetLayout(folder.Combine("data"));
        IngestHarness.Land(layout, "apc", "apc_RVV_2025-04.csv", Lines(Header, Good1, Good2, Good3));
        IngestHarness.Land(layout, "apc", "apc_RWF_2025-04.csv", Lines(Header, Good1.Replace("S1,RVV", "W1,RWF"), Good3.Replace("S3,RVV", "W3,RWF")));
    }

    public void Dispose() => folder.Dispose();

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private IngestPass Run() => IngestHarness.Run(layout, TestKeys.Write(folder));

    /// <summary>The two good extracts staged in full, and every staged extract accounted for.</summary>
    private static void OthersStagedAndAccountingExact(IngestPass pass)
    {
        pass.Report("apc_RVV_2025-04.csv").Should().Match<StagingReport>(r => r.Status == StagingReport.Staged && r.RowsRead == 3 && r.RowsStaged == 3);
        pass.Report("apc_RWF_2025-04.csv").Should().Match<StagingReport>(r => r.Status == StagingReport.Staged && r.RowsRead == 2 && r.RowsStaged == 2);
        foreach (var r in pass.Reports.Where(r => r.Status == StagingReport.Staged))
        {
            r.RowsRead.Should().Be(r.RowsStaged + r.RowsQuarantined, r.FileName);
        }
    }

    /// <summary>The bad extract failed with <paramref name="code"/>, its message names the file, and the registry records it with the reason.</summary>
    private IngestPass RefusedWith(string fileName, string code, params string[] messageContains)
    {
        var pass = Run();
        var bad = pass.Report(fileName);
        bad.Status.Should().Be(StagingReport.Failed);
        bad.FailureCode.Should().Be(code);
        bad.Error.Should().Contain(fileName);
        foreach (var text in messageContains)
        {
            bad.Error.Should().Contain(text);
        }

        var entry = LandingRegistry.Load(layout).Find(bad.ExtractId)!;
        entry.Status.Should().Be(RegistryEntry.Failed);
        entry.Reason.Should().Be(code);
        File.Exists(layout.StagedFile("apc", bad.ExtractId)).Should().BeFalse("a refused file is recorded, never copied");
        OthersStagedAndAccountingExact(pass);
        return pass;
    }

    private IngestPass StagedWith(string fileName, long read, long staged, IDictionary<string, long> reasons)
    {
        var pass = Run();
        var report = pass.Report(fileName);
        report.Status.Should().Be(StagingReport.Staged, report.Error);
        report.RowsRead.Should().Be(read);
        report.RowsStaged.Should().Be(staged);
        report.QuarantineReasons.Should().BeEquivalentTo(reasons);
        OthersStagedAndAccountingExact(pass);
        return pass;
    }

    private List<string> Quarantine(string extractId)
    {
        using var db = DuckDb.OpenInMemory();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT source_row || '|' || column_name || '|' || reason FROM read_parquet({Sql.Path(layout.QuarantineFile("apc", extractId))}) ORDER BY source_row";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [Fact]
    public void BadExtract_FileNameWithoutProviderOrPeriod_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_april.csv", Lines(Header, Good1));
        var pass = Run();

        pass.Registration.Refused.Should().ContainSingle().Which.Should().Match<RefusedFile>(f => f.Reason == LandingReasons.BadFileName && f.Message.Contains("apc_april.csv") && f.Message.Contains("<feed>_<provider>_<YYYY-MM>.csv"));
        LandingRegistry.Load(layout).Entries.Should().ContainSingle(e => e.FileName == "apc_april.csv" && e.Status == RegistryEntry.Refused && e.Reason == LandingReasons.BadFileName);
        pass.Reports.Should().HaveCount(2);
        OthersStagedAndAccountingExact(pass);
    }

    [Fact]
    public void BadExtract_NotACsvFile_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.xlsx", "not really a spreadsheet");
        var pass = Run();

        pass.Registration.Refused.Should().ContainSingle().Which.Should().Match<RefusedFile>(f => f.Reason == LandingReasons.NotCsv && f.Message.Contains("apc_RPA_2025-04.xlsx"));
        OthersStagedAndAccountingExact(pass);
    }

    [Fact]
    public void BadExtract_SpreadsheetNamedCsv_IsRefusedAndOthersStage()
    {
        IngestHarness.LandBytes(layout, "apc", "apc_RPA_2025-04.csv", [(byte)'P', (byte)'K', 3, 4, 20, 0, 6, 0, 8, 0]);
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.NotCsv, "zip");
    }

    [Fact]
    public void BadExtract_BinaryContent_IsRefusedAndOthersStage()
    {
        IngestHarness.LandBytes(layout, "apc", "apc_RPA_2025-04.csv", Encoding.UTF8.GetBytes(Header + "\nS1,RPA\0\0\0\n"));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.NotCsv, "line 2");
    }

    [Fact]
    public void BadExtract_WrongDelimiter_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header.Replace(',', ';'), Good1.Replace(',', ';')));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.WrongDelimiter, "semicolon");
    }

    [Fact]
    public void BadExtract_TabDelimited_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header.Replace(',', '\t'), Good1.Replace(',', '\t')));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.WrongDelimiter, "tab");
    }

    [Fact]
    public void BadExtract_MissingRequiredColumns_IsRefusedNamingThemAndOthersStage()
    {
        var header = Header.Replace("admission_method,", "").Replace("primary_diagnosis,", "");
        var row = Good1.Replace(",21,1,I214,", ",1,");
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(header, row));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.MissingColumns, "admission_method", "primary_diagnosis");
    }

    [Fact]
    public void BadExtract_UnexpectedExtraColumn_StagesWithAWarningAndTheColumnKeptOut()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header + ",ward_name", Good1.Replace("S1,RVV", "P1,RPA") + ",Oak Ward"));
        var pass = StagedWith("apc_RPA_2025-04.csv", 1, 1, new Dictionary<string, long>());

        var report = pass.Report("apc_RPA_2025-04.csv");
        report.Warnings.Should().ContainSingle(w => w.Contains("ward_name") && w.Contains("apc_RPA_2025-04.csv"));
        using var db = DuckDb.OpenInMemory();
        DuckDb.Scalar<long>(db, $"SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Path(layout.StagedFile("apc", report.ExtractId))})) WHERE column_name = 'ward_name'")
            .Should().Be(0);
    }

    [Fact]
    public void BadExtract_Latin1Encoding_IsRefusedAndOthersStage()
    {
        var latin1 = Encoding.Latin1.GetBytes(Lines(Header, Good1.Replace("S1,RVV", "P1,RPA").Replace("Ann", "Zoë")));
        IngestHarness.LandBytes(layout, "apc", "apc_RPA_2025-04.csv", latin1);
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.WrongEncoding, "UTF-8", "line 2");
    }

    [Fact]
    public void BadExtract_Utf16Encoding_IsRefusedAndOthersStage()
    {
        IngestHarness.LandBytes(layout, "apc", "apc_RPA_2025-04.csv", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Lines(Header, Good1))).ToArray());
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.WrongEncoding, "UTF-16");
    }

    [Fact]
    public void BadExtract_TruncatedLastLine_IsRefusedAndOthersStage()
    {
        var cut = Lines(Header, Good1.Replace("S1,RVV", "P1,RPA")) + Good2.Replace("S2,RVV", "P2,RPA")[..30];
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", cut);
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.TruncatedLastLine, "line 3", "cut short");
    }

    [Fact]
    public void BadExtract_EndsInsideAQuotedField_IsRefusedAndOthersStage()
    {
        var cut = Lines(Header, Good1.Replace("S1,RVV", "P1,RPA")) + "P2,RPA,2025-04-10,2025-04-10,11,2,K359,100,9434765919,\"Ann";
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", cut);
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.TruncatedLastLine, "quoted field");
    }

    [Fact]
    public void BadExtract_EmptyFile_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", "");
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.EmptyFile, "empty");
    }

    [Fact]
    public void BadExtract_HeaderOnly_StagesZeroRowsWithAWarning()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header));
        var pass = StagedWith("apc_RPA_2025-04.csv", 0, 0, new Dictionary<string, long>());
        pass.Report("apc_RPA_2025-04.csv").Warnings.Should().ContainSingle(w => w.Contains("header only"));
    }

    [Fact]
    public void BadExtract_DuplicateHeaderNames_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header + ",admission_date", Good1 + ",2025-04-03"));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.DuplicateHeader, "admission_date");
    }

    [Fact]
    public void BadExtract_BlankHeaderName_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header + ",", Good1 + ",x"));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.BlankHeader, "16");
    }

    [Fact]
    public void BadExtract_RowWithAnExtraField_IsRefusedNamingTheLineAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header, Good1, Good2 + ",surplus", Good3));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.RaggedRows, "line 3", "16 fields", "header has 15");
    }

    [Fact]
    public void BadExtract_PseudonymisedColumnsInAnIdentifiableFeed_IsRefusedAndOthersStage()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header + ",person_token", Good1 + ",0123456789abcdef0123456789abcdef"));
        RefusedWith("apc_RPA_2025-04.csv", FileReasons.WrongForm, "person_token");
    }

    [Fact]
    public void BadExtract_DatesInAnotherFormat_RowsQuarantinedAsInvalidDate()
    {
        // Both rows write dates DD/MM/YYYY: admission_date is checked first (schema order) ⇒ admission_date|invalid_date.
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header,
            "P1,RPA,02/04/2025,05/04/2025,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,",
            "P2,RPA,10/04/2025,10/04/2025,11,2,K359,100,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,"));
        var pass = StagedWith("apc_RPA_2025-04.csv", 2, 0, new Dictionary<string, long> { ["invalid_date"] = 2 });
        Quarantine(pass.Report("apc_RPA_2025-04.csv").ExtractId).Should().Equal("1|admission_date|invalid_date", "2|admission_date|invalid_date");
    }

    [Fact]
    public void BadExtract_DatesInTheFuture_RowsQuarantinedAsDateInFuture_ButABirthDateIsOnlyMadeMissing()
    {
        // Today is 2025-12-01. Row 1: discharge 2025-12-02 (future) ⇒ quarantined. Row 2: birth 2026-01-01 (future;
        // also after admission): an identity value never costs the row (issue 11), so the date of birth is made
        // missing for linkage and counted, and the row stages. Row 3 fine.
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header,
            "P1,RPA,2025-11-30,2025-12-02,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,",
            "P2,RPA,2025-11-20,2025-11-21,21,1,I214,300,9434765919,Ann,Example,2026-01-01,2,CT1 1AA,",
            "P3,RPA,2025-12-01,2025-12-01,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,"));
        var pass = StagedWith("apc_RPA_2025-04.csv", 3, 2, new Dictionary<string, long> { ["date_in_future"] = 1 });
        Quarantine(pass.Report("apc_RPA_2025-04.csv").ExtractId).Should().Equal("1|discharge_date|date_in_future");
        pass.Report("apc_RPA_2025-04.csv").IdentityValuesMadeMissing.Should().BeEquivalentTo(new Dictionary<string, long> { ["date_of_birth|date_in_future"] = 1 });
    }

    [Fact]
    public void BadExtract_AdmissionBeforeBirth_StagesTheRow_WithTheBirthDateMadeMissing()
    {
        // Admission 1949 before a birth in 1950: the birth date is the suspect, not the activity (issue 11: an
        // identity value never costs the row). Both rows stage; the date of birth is counted as after_activity_date.
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header,
            "P1,RPA,1949-04-02,1949-04-05,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,",
            Good2.Replace("S2,RVV", "P2,RPA")));
        var pass = StagedWith("apc_RPA_2025-04.csv", 2, 2, new Dictionary<string, long>());
        Quarantine(pass.Report("apc_RPA_2025-04.csv").ExtractId).Should().BeEmpty();
        pass.Report("apc_RPA_2025-04.csv").IdentityValuesMadeMissing.Should().BeEquivalentTo(new Dictionary<string, long> { ["date_of_birth|after_activity_date"] = 1 });
    }

    [Fact]
    public void BadExtract_DischargeBeforeAdmission_RowQuarantinedAsEndBeforeStart()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header,
            Good1.Replace("S1,RVV", "P1,RPA"),
            "P2,RPA,2025-04-10,2025-04-09,11,2,K359,100,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,"));
        var pass = StagedWith("apc_RPA_2025-04.csv", 2, 1, new Dictionary<string, long> { ["end_before_start"] = 1 });
        Quarantine(pass.Report("apc_RPA_2025-04.csv").ExtractId).Should().Equal("2|discharge_date|end_before_start");
    }

    [Fact]
    public void BadExtract_CodeNotInItsCodeSet_RowQuarantined()
    {
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header, Good1.Replace("S1,RVV", "P1,RPA").Replace(",21,1,", ",99,1,")));
        var pass = StagedWith("apc_RPA_2025-04.csv", 1, 0, new Dictionary<string, long> { ["code_not_in_code_set"] = 1 });
        Quarantine(pass.Report("apc_RPA_2025-04.csv").ExtractId).Should().Equal("1|admission_method|code_not_in_code_set");
    }

    [Fact]
    public void BadExtract_InvalidAndMissingNhsNumbers_AreCountedNotRejected()
    {
        // Row 1 valid; row 2 fails Modulus 11; row 3 not 10 digits; row 4 empty. All four staged.
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header,
            Good1.Replace("S1,RVV", "P1,RPA"),
            Good1.Replace("S1,RVV", "P2,RPA").Replace("9434765919", "9434765918"),
            Good1.Replace("S1,RVV", "P3,RPA").Replace("9434765919", "12345"),
            Good1.Replace("S1,RVV", "P4,RPA").Replace("9434765919", "")));
        var pass = StagedWith("apc_RPA_2025-04.csv", 4, 4, new Dictionary<string, long>());
        var report = pass.Report("apc_RPA_2025-04.csv");
        report.NhsNumbersInvalid.Should().Be(2);
        report.NhsNumbersMissing.Should().Be(1);
        report.RowsWithPersonToken.Should().Be(1);
    }

    [Fact]
    public void BadExtract_ExactDuplicateRowsAndResentRecords_AreCountedInTheFile()
    {
        // P1 three times identical (2 exact duplicates); P2 twice with different discharge dates (1 re-sent).
        IngestHarness.Land(layout, "apc", "apc_RPA_2025-04.csv", Lines(Header,
            Good1.Replace("S1,RVV", "P1,RPA"), Good1.Replace("S1,RVV", "P1,RPA"), Good1.Replace("S1,RVV", "P1,RPA"),
            Good2.Replace("S2,RVV", "P2,RPA"), Good2.Replace("S2,RVV", "P2,RPA").Replace("2025-04-10,2025-04-10", "2025-04-10,2025-04-12")));
        var pass = StagedWith("apc_RPA_2025-04.csv", 5, 5, new Dictionary<string, long>());
        var report = pass.Report("apc_RPA_2025-04.csv");
        report.ExactDuplicateRows.Should().Be(2);
        report.ResentRecordsInFile.Should().Be(1);
    }

    [Fact]
    public void BadExtract_SameBytesDeliveredAgain_IsANoOp()
    {
        var first = Run();
        var again = Run();

        first.Registration.New.Should().HaveCount(2);
        again.Registration.New.Should().BeEmpty();
        again.Registration.AlreadyRegistered.Select(e => e.FileName).Should().BeEquivalentTo("apc_RVV_2025-04.csv", "apc_RWF_2025-04.csv");
        again.Reports.Should().OnlyContain(r => r.Status == StagingReport.AlreadyStaged);
        LandingRegistry.Load(layout).Entries.Should().HaveCount(2);
    }

    [Fact]
    public void BadExtract_CorrectedDeliveryForTheSamePeriod_SupersedesTheEarlierOne()
    {
        var first = Run();
        var original = first.Report("apc_RVV_2025-04.csv");
        // The provider sends a corrected file for RVV April beside the first: S3 removed.
        IngestHarness.Land(layout, "apc", "apc_RVV_2025-04.v2.csv", Lines(Header, Good1, Good2));
        var second = Run();

        var corrected = second.Report("apc_RVV_2025-04.v2.csv");
        second.Superseded.Should().ContainSingle().Which.Should().Match<RegistryEntry>(e => e.ExtractId == original.ExtractId && e.SupersededBy == corrected.ExtractId);
        LandingRegistry.Load(layout).NewestPerSlot(second.Reports).Select(r => r.FileName)
            .Should().BeEquivalentTo("apc_RVV_2025-04.v2.csv", "apc_RWF_2025-04.csv");
    }
}
