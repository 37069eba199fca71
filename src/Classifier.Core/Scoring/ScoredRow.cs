namespace Classifier.Core.Scoring;

/// <summary>One scored document: its id, the kept input fields and the labels ranked by probability.</summary>
public sealed class ScoredRow
{
    public required string Id { get; init; }
    public required string?[] Kept { get; init; }
    public required string Text { get; init; }
    /// <summary>Why the row could not be scored (it is then written with no label), or null.</summary>
    public string? Error { get; init; }
    /// <summary>
    /// Filled in by a scoring worker: the top labels (index into the model's labels) with their probabilities;
    /// for a multi-label model, the chosen label set (possibly empty).
    /// </summary>
    public (int Label, float Score)[] Top { get; set; } = Array.Empty<(int, float)>();

    /// <summary>The top probability fell below --min-score: the row is labelled "unknown", its probabilities still written.</summary>
    public bool Unknown { get; set; }

    /// <summary>Under --min-score, the most probable label, passed or not (the `top_label` column).</summary>
    public string? TopLabel { get; set; }
}
