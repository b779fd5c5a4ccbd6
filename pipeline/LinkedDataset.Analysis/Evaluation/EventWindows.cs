namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// Months relative to the index month (0 = the month of the index date) that make up each window.
/// The default leaves out the three months before the index month and the two after it: people are
/// referred during a crisis in their use (regression to the mean), so those months describe the crisis,
/// not the person's usual use; the event study still shows every month.
/// </summary>
/// <param name="PreFrom">First month of the pre-period of the difference-in-differences (and of prior-use covariates).</param>
/// <param name="PreTo">Last month of the pre-period.</param>
/// <param name="PostFrom">First month of the post-period.</param>
/// <param name="PostTo">Last month of the post-period.</param>
/// <param name="NaivePreFrom">First month of the naive before/after's "before": by default the quarter up to and including the index
/// month, the period that prompted the referral, as a before/after of the same people takes it.</param>
/// <param name="NaivePreTo">Last month of the naive "before" (0 = the index month).</param>
public sealed record EventWindows(int PreFrom = -12, int PreTo = -4, int PostFrom = 3, int PostTo = 12, int NaivePreFrom = -3, int NaivePreTo = 0)
{
    /// <summary>First month any window needs.</summary>
    public int First => Math.Min(PreFrom, NaivePreFrom);

    /// <summary>Last month any window needs.</summary>
    public int Last => PostTo;

    /// <summary>Months from <see cref="First"/> to <see cref="Last"/>.</summary>
    public int Length => Last - First + 1;

    /// <summary>Throws a message naming the window that is wrong.</summary>
    public void Validate()
    {
        if (PreFrom > PreTo || PreTo >= 0)
        {
            throw new ArgumentException($"The pre-period must be months before the index month (from ≤ to < 0); it is {PreFrom} to {PreTo}.");
        }

        if (PostFrom > PostTo || PostFrom < 0)
        {
            throw new ArgumentException($"The post-period must be months from the index month on (0 ≤ from ≤ to); it is {PostFrom} to {PostTo}.");
        }

        if (NaivePreFrom > NaivePreTo || NaivePreTo > 0 || NaivePreTo >= PostFrom)
        {
            throw new ArgumentException($"The naive before-period must be months up to the index month and before the post-period; it is {NaivePreFrom} to {NaivePreTo}.");
        }

        if (Length > 121)
        {
            throw new ArgumentException("The windows span more than ten years.");
        }
    }
}
