namespace LinkedDataset.Pipeline.Landing;

/// <summary>Reason codes for a landing file refused before staging (it cannot be an extract).</summary>
public static class LandingReasons
{
    /// <summary>The name is not <c>&lt;feed&gt;_&lt;provider&gt;_&lt;YYYY-MM&gt;[.&lt;label&gt;].csv</c>.</summary>
    public const string BadFileName = "bad_file_name";

    /// <summary>Not a .csv file (staging uses the same code for a zip or binary file named .csv).</summary>
    public const string NotCsv = "not_csv";

    /// <summary>A symbolic link: never followed, since it could point anywhere on the machine.</summary>
    public const string Symlink = "symlink";

    /// <summary>A file in a landing folder that is not a feed (<c>landing/foo/x.csv</c>).</summary>
    public const string UnknownFeed = "unknown_feed_folder";

    /// <summary>A file at the landing root, or in a subfolder of a feed's folder.</summary>
    public const string NotInFeedFolder = "not_in_feed_folder";
}
