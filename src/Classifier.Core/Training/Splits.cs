namespace Classifier.Core.Training;

/// <summary>Stratified, seeded splits: every class keeps its share in each part.</summary>
public static class Splits
{
    /// <summary>Row indices for training and for the holdout test part.</summary>
    public static (List<int> Train, List<int> Test) Holdout(IReadOnlyList<string> labels, double testFraction, int seed)
    {
        if (!(testFraction is > 0 and < 1)) throw new InputException($"--test-fraction must be between 0 and 1 (got {testFraction})");
        var train = new List<int>();
        var test = new List<int>();
        foreach (var (label, rows) in ByClass(labels, seed))
        {
            if (rows.Count < 2)
                throw new InputException($"class '{label}' has only {rows.Count} example; a holdout split needs at least 2 per class (add examples, or pass --test FILE)");
            var k = (int)Math.Round(rows.Count * testFraction, MidpointRounding.AwayFromZero);
            k = Math.Clamp(k, 1, rows.Count - 1);
            test.AddRange(rows.Take(k));
            train.AddRange(rows.Skip(k));
        }
        train.Sort();
        test.Sort();
        return (train, test);
    }

    /// <summary>
    /// <paramref name="size"/> of the rows (all of them when there are no more), each class keeping its share and at
    /// least one row, in ascending order: a stratified sample. The shares are rounded down and the rows left over go to
    /// the largest remainders, so the total is exactly <paramref name="size"/>, unless more classes fall below one row's
    /// share than the remainders make up for (each keeps its one row).
    /// </summary>
    public static List<int> Sample(IReadOnlyList<string> labels, int size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (labels.Count <= size) return Enumerable.Range(0, labels.Count).ToList();
        var classes = ByClass(labels, seed).ToList();
        // In integers, so that a share that is a whole number is not rounded down one short and equal remainders tie exactly.
        var take = classes.Select(c => (int)Math.Max(1, (long)c.Rows.Count * size / labels.Count)).ToArray();
        var left = size - take.Sum();
        // Largest remainder first; ties in the classes' (ordinal) order. A class raised to its one row is past its share already.
        long Remainder(int k) => (long)classes[k].Rows.Count * size < labels.Count ? -1 : (long)classes[k].Rows.Count * size % labels.Count;
        foreach (var k in Enumerable.Range(0, classes.Count).OrderByDescending(Remainder).ThenBy(k => k))
        {
            if (left <= 0) break;
            if (take[k] >= classes[k].Rows.Count) continue;
            take[k]++;
            left--;
        }
        var sample = classes.SelectMany((c, k) => c.Rows.Take(take[k])).ToList();
        sample.Sort();
        return sample;
    }

    /// <summary>
    /// A seeded random holdout without stratification, for multi-label data, where label sets are too
    /// varied to stratify on.
    /// </summary>
    public static (List<int> Train, List<int> Test) RandomHoldout(int count, double testFraction, int seed)
    {
        if (!(testFraction is > 0 and < 1)) throw new InputException($"--test-fraction must be between 0 and 1 (got {testFraction})");
        var rows = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(rows);
        var k = Math.Clamp((int)Math.Round(count * testFraction, MidpointRounding.AwayFromZero), 1, Math.Max(1, count - 1));
        if (count < 2) throw new InputException("a holdout split needs at least 2 documents");
        var test = rows.Take(k).Order().ToList();
        var train = rows.Skip(k).Order().ToList();
        return (train, test);
    }

    /// <summary>Random seeded folds without stratification, for multi-label data.</summary>
    public static int[] RandomFolds(int count, int folds, int seed)
    {
        if (folds < 2) throw new InputException($"--folds must be at least 2 (got {folds})");
        if (count < folds) throw new InputException(TooFewDocuments(folds, count));
        var rows = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(rows);
        var fold = new int[count];
        for (int i = 0; i < rows.Length; i++) fold[rows[i]] = i % folds;
        return fold;
    }

    /// <summary>Every fold needs a document to test on: a fold without one has nothing to evaluate.</summary>
    private static string TooFewDocuments(int folds, int count) =>
        $"--folds {folds} needs at least {folds} documents, one to test on in each fold (got {count}); lower --folds";

    /// <summary>
    /// Assigns each row a fold in [0, folds), dealing each class round-robin after a seeded shuffle. A class needs 2
    /// examples, not one per fold: its examples go to consecutive, hence distinct, folds, so every fold trains on at
    /// least one of them; folds that test none of it leave it out of their macro averages (MulticlassEvaluator).
    /// </summary>
    public static int[] Folds(IReadOnlyList<string> labels, int folds, int seed)
    {
        if (folds < 2) throw new InputException($"--folds must be at least 2 (got {folds})");
        if (labels.Count < folds) throw new InputException(TooFewDocuments(folds, labels.Count));
        var fold = new int[labels.Count];
        int next = 0;
        foreach (var (label, rows) in ByClass(labels, seed))
        {
            if (rows.Count < 2)
                throw new InputException($"class '{label}' has only {rows.Count} example; cross-validation needs at least 2 per class");
            // Continuing the round-robin across classes keeps fold sizes balanced when classes are small.
            foreach (var r in rows) fold[r] = next++ % folds;
        }
        return fold;
    }

    private static IEnumerable<(string Label, List<int> Rows)> ByClass(IReadOnlyList<string> labels, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, labels.Count)
            .GroupBy(i => labels[i])
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var rows = g.ToArray();
                random.Shuffle(rows);
                return (g.Key, rows.ToList());
            })
            .ToList();
    }
}
