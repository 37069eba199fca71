using Classifier.Core.Training;

namespace Classifier.Core.Features;

/// <summary>
/// The training documents read and tokenized once: per document, its distinct n-grams with their counts, under
/// provisional term ids shared by the whole corpus (<see cref="CountingPass"/> makes it). Everything a vocabulary
/// needs comes from here without the texts: document frequencies over any subset of rows, the vectors of any rows
/// under a vocabulary fitted on other rows, and the features' readable names. So a fold, a trial that changes only C,
/// min-df or the weighting, and the final model all reuse one tokenization, as scikit-learn's CountVectorizer counts
/// once and TfidfTransformer weighs again.
/// </summary>
internal sealed class CountedCorpus
{
    /// <summary>Per document, its terms (provisional ids) and their counts, saturating at 65,535.</summary>
    public SparseMatrix Counts { get; }

    /// <summary>Each term's n-gram hash, the key a fitted vocabulary stores.</summary>
    public ulong[] Hashes { get; private set; }

    /// <summary>Each term's block: <see cref="TermKind"/>.</summary>
    public byte[] Kinds { get; private set; }

    public TermNames Names { get; }

    public FeaturizerOptions Options { get; }

    public int Rows => Counts.Rows;
    public int Terms { get; }

    public CountedCorpus(SparseMatrix counts, ulong[] hashes, byte[] kinds, TermNames names, FeaturizerOptions options)
    {
        Counts = counts;
        Hashes = hashes;
        Kinds = kinds;
        Terms = hashes.Length;
        Names = names;
        Options = options;
    }

    /// <summary>In how many of <paramref name="rows"/> (null: all) each term occurs.</summary>
    public int[] DocumentFrequencies(IReadOnlyList<int>? rows, int threads, CancellationToken cancel)
    {
        var n = rows?.Count ?? Rows;
        var parts = Math.Clamp(threads, 1, Math.Max(1, n / 512));
        var partial = new int[parts][];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = cancel }, p =>
        {
            var df = new int[Terms];
            for (int k = (int)((long)n * p / parts), end = (int)((long)n * (p + 1) / parts); k < end; k++)
                foreach (var t in Counts.Indices(rows?[k] ?? k)) df[t]++;
            partial[p] = df;
        });
        var total = partial[0];
        for (int p = 1; p < parts; p++)
        {
            var d = partial[p];
            for (int t = 0; t < total.Length; t++) total[t] += d[t];
        }
        return total;
    }

    /// <summary>
    /// The vocabulary of <paramref name="rows"/> (null: all) under <paramref name="options"/>, which may differ from the
    /// counting options in anything but the n-grams themselves (min-df, max-features, weights, tf scaling): the
    /// featurizer, unnamed, and each term's feature id (-1: not in the vocabulary). Only those rows' counts are read, so
    /// rows held out of them cannot shape it.
    /// </summary>
    public (TextFeaturizer Featurizer, int[] FeatureOf) Vocabulary(IReadOnlyList<int>? rows, FeaturizerOptions options, int threads, CancellationToken cancel)
    {
        if (!Options.SameNgrams(options)) throw new ArgumentException("the corpus was counted with other n-grams", nameof(options));
        if (Spent) throw new InvalidOperationException("the counts were turned into vectors in place");
        var documents = rows?.Count ?? Rows;
        var df = DocumentFrequencies(rows, threads, cancel);
        var minDf = options.EffectiveMinDf(documents);
        // Which terms become features: those in enough of the rows, by block. featureOf marks them (0) for now.
        var featureOf = new int[Terms];
        Array.Fill(featureOf, -1);
        var perKind = new int[3];
        for (int t = 0; t < Terms; t++)
        {
            var kind = (TermKind)Kinds[t];
            var floor = kind switch { TermKind.Word => minDf.Words, TermKind.Char => minDf.Chars, _ => 1 };
            if (df[t] == 0 || df[t] < floor) continue;
            featureOf[t] = 0;
            perKind[(int)kind]++;
        }
        if (options.MaxFeatures > 0 && perKind[0] + perKind[1] > options.MaxFeatures)
        {
            // The most frequent of both blocks together, ties to the lower hash, as TextFeaturizer.FromCounts keeps them.
            var candidates = Enumerable.Range(0, Terms).Where(t => featureOf[t] == 0 && (TermKind)Kinds[t] != TermKind.Place).ToArray();
            Array.Sort(candidates, (a, b) => df[a] != df[b] ? df[b].CompareTo(df[a]) : Hashes[a].CompareTo(Hashes[b]));
            foreach (var t in candidates.AsSpan(options.MaxFeatures))
            {
                featureOf[t] = -1;
                perKind[Kinds[t]]--;
            }
        }
        // Each block in term order (the order n-grams were first met, so the frequent ones come early and share cache
        // lines in the solver): a document's row, stored in term order, then maps to increasing ids within each block,
        // and its vector needs no sort (see SparseMatrix.WeighRow).
        var keys = new ulong[perKind.Sum()];
        var dfs = new int[keys.Length];
        var next = new[] { 0, perKind[0], perKind[0] + perKind[1] };
        for (int t = 0; t < Terms; t++)
        {
            if (featureOf[t] < 0) continue;
            var f = next[Kinds[t]]++;
            featureOf[t] = f;
            keys[f] = Hashes[t];
            dfs[f] = df[t];
        }
        return (TextFeaturizer.FromOrdered(options, keys, dfs, perKind[0], perKind[2], documents), featureOf);
    }

    /// <summary>
    /// The vectors of <paramref name="rows"/> (null: all) under <paramref name="featurizer"/>: what
    /// <see cref="TextFeaturizer.Transform"/> gives for their texts. With <paramref name="consume"/> (all rows only) the
    /// vectors are written over the counts, which are then gone: for a caller that needs them no more.
    /// </summary>
    public SparseMatrix Vectors(IReadOnlyList<int>? rows, TextFeaturizer featurizer, int[] featureOf, int threads, CancellationToken cancel,
        bool consume = false)
    {
        if (Spent) throw new InvalidOperationException("the counts were turned into vectors in place");
        if (!consume) return Counts.Weighed(rows, featureOf, featurizer, threads, cancel);
        if (rows is not null) throw new ArgumentException("only a store of all rows can be consumed", nameof(consume));
        Counts.WeighInPlace(featureOf, featurizer, threads, cancel);
        Spent = true;
        // Only the names are drawn from a spent corpus: the terms' hashes and kinds go.
        Hashes = Array.Empty<ulong>();
        Kinds = Array.Empty<byte>();
        return Counts;
    }

    /// <summary>Whether <see cref="Vectors"/> consumed the counts: nothing but the names can be drawn from this corpus any more.</summary>
    public bool Spent { get; private set; }

    /// <summary>
    /// The vectors of <paramref name="rows"/> under a featurizer fitted elsewhere (a fold's model, pruned or not): what
    /// <see cref="TextFeaturizer.Transform"/> gives for their texts, without reading them again.
    /// </summary>
    public SparseMatrix VectorsFor(TextFeaturizer featurizer, IReadOnlyList<int> rows, int threads, CancellationToken cancel)
    {
        if (Spent) throw new InvalidOperationException("the counts were turned into vectors in place");
        var featureOf = new int[Terms];
        for (int t = 0; t < Terms; t++) featureOf[t] = featurizer.TryGetFeature(Hashes[t], out var f) ? f : -1;
        return Vectors(rows, featurizer, featureOf, threads, cancel);
    }
}

/// <summary>The block a counted term belongs to.</summary>
internal enum TermKind : byte
{
    Word,
    Char,
    Place,
}
