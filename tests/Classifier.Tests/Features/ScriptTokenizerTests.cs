using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Training;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Features;

/// <summary>
/// The tokenizer across scripts: unspaced scripts cut into characters, marks kept with their letters, mixed text cut
/// where the script changes, NFKC and case folding; checked token by token on hand-made sentences and on the
/// multilingual fixture (data/fixtures/multilingual-news.csv, written for this project by make_multilingual.py).
/// </summary>
public sealed class ScriptTokenizerTests
{
    private static readonly FeaturizerOptions Defaults = new();

    /// <summary>The tokens of <paramref name="text"/>: (text, is a word, gets its own character n-grams).</summary>
    private static List<(string Text, bool Word, bool Chars)> Tokens(string text)
    {
        var ex = new NgramExtractor(Defaults);
        ex.Tokenize(text);
        return ex.TokenList.AsSpan().ToArray().Select(t => (ex.Text(t).ToString(), t.IsWord, t.CharGrams)).ToList();
    }

    private static List<string> Words(string text) => Tokens(text).Where(t => t.Word).Select(t => t.Text).ToList();

    [Fact]
    public void Chinese_EachCharacterIsAWord_AndTheRunGetsCharacterNgrams()
    {
        var tokens = Tokens("中国经济增长。");
        Assert.Equal(("中国经济增长", false, true), tokens[0]);
        Assert.Equal(["中", "国", "经", "济", "增", "长"], Words("中国经济增长。"));
    }

    [Fact]
    public void Chinese_WordBigramsAreCharacterBigrams_ShownWithoutSpaces()
    {
        var f = TextFeaturizer.Fit(["北京的经济增长", "上海的经济放缓"], Defaults, threads: 1);
        Assert.Contains("经 济", f.FeatureNames);
        Assert.Equal("经济", Scripts.Readable("经 济", isWord: true));
        Assert.Equal("new york", Scripts.Readable("new york", isWord: true));
        Assert.Contains("[ 北京的]", f.FeatureNames);
    }

    [Fact]
    public void MixedScripts_AreCutWhereTheScriptChanges()
    {
        Assert.Equal(["iphone", "销", "量"], Words("iPhone 销量"));
        Assert.Equal(["東", "京", "olympics", "開", "幕"], Words("東京Olympics開幕"));
        Assert.Equal(["2024", "年"], Words("2024年"));
    }

    [Fact]
    public void Japanese_KanaAndKanjiAreUnspaced_HalfWidthKatakanaBecomesFullWidth()
    {
        Assert.Equal(["サ", "ッ", "カ", "ー"], Words("ｻｯｶｰ"));
        Assert.Equal(["東", "京", "で", "試", "合"], Words("東京で試合"));
    }

    [Fact]
    public void FullWidthLatinAndDigits_MatchTheirAsciiForms()
    {
        Assert.Equal(Words("ABC 123 Tokyo"), Words("ＡＢＣ　１２３　Ｔｏｋｙｏ"));
    }

    [Fact]
    public void Thai_MarksStayWithTheirLetter()
    {
        // ที่ is ท followed by two combining marks (a vowel sign and a tone mark): one unit, not three.
        var words = Words("ที่นี่");
        Assert.Equal(["ที่", "นี่"], words);
        Assert.Single(Tokens("ที่นี่"), t => t.Chars);
    }

    [Fact]
    public void LongUnspacedRuns_KeepTheirCharacterNgrams()
    {
        var run = string.Concat(Enumerable.Repeat("中国经济增长很快", 40)); // 320 characters, no spaces
        var ex = new NgramExtractor(Defaults);
        var words = new List<ulong>();
        var chars = new List<ulong>();
        ex.Extract(run, words, chars);
        // Every n from 2 to 5 over the run padded with a space on each side.
        Assert.Equal(Enumerable.Range(2, 4).Sum(n => 322 - n + 1), chars.Count);
        // A spaced "word" that long (a URL, base64) still gets none.
        chars.Clear();
        ex.Extract(new string('a', 300), words, chars);
        Assert.Empty(chars);
    }

    [Fact]
    public void Russian_And_Arabic_AreSpaced_WithArabicMarksKept()
    {
        Assert.Equal(["москва", "петербург"], Words("Москва и Петербург"));
        Assert.Equal(["مُحَمَّد", "القاهرة"], Words("مُحَمَّد في القاهرة").Where(w => w != "في").ToList());
    }

    [Fact]
    public void CaseFolding_GreekFinalSigma_MatchesSigma()
    {
        Assert.Equal(Words("ΛΌΓΟΣ"), Words("λόγος"));
        Assert.Equal(["λόγοσ"], Words("λόγος"));
    }

    [Fact]
    public void LoneSurrogates_DoNotBreakNormalisation()
    {
        Assert.Equal(["ab", "cd"], Words("ab\ud800cd"));
    }

    [Fact]
    public void MultilingualFixture_UnspacedTextsYieldManyShortWords()
    {
        using var reader = RecordReaders.Open(CliHarness.Fixture("multilingual-news.csv"), DataFormat.Auto);
        var rows = reader.Read().Select(r => (Lang: r["lang"]!, Text: r["text"]!)).ToList();
        Assert.Equal(320, rows.Count);
        foreach (var (lang, text) in rows.Where(r => r.Lang is "zh" or "ja" or "th"))
        {
            var words = Words(text);
            Assert.True(words.Count >= 8, $"{lang}: only {words.Count} words in '{text}'");
            Assert.All(words, w => Assert.True(w.Length <= 3, $"{lang}: '{w}' is not one character"));
        }
        foreach (var (lang, text) in rows.Where(r => r.Lang is "ru" or "ar"))
            Assert.True(Words(text).Count >= 4, $"{lang}: '{text}'");
    }

    /// <summary>
    /// Quality: 5-fold cross-validation with the default settings on the 320 texts. Measured 274/320 = 0.8563
    /// (seed 1; the tokenizer before this change: 0.6594); the floor allows two mistakes fewer. The peers on
    /// compare.py's folds (scikit-learn's sklearn-svm 0.4063, fastText 0.3781, ours 0.8125) are in docs/benchmarks.md
    /// ("Multilingual text").
    /// </summary>
    [Fact]
    public void MultilingualFixture_CrossValidatedAccuracy_IsAtLeastTheStatedFloor()
    {
        using var reader = RecordReaders.Open(CliHarness.Fixture("multilingual-news.csv"), DataFormat.Auto);
        var data = DatasetLoader.Load(reader, ["text"], "label");
        var result = CrossValidation.Run(data, 5, Defaults, new TrainerOptions { Threads = 1 });
        Assert.True(result.Pooled.Accuracy >= MultilingualFloor, $"pooled accuracy {result.Pooled.Accuracy:F4}");
    }

    public const double MultilingualFloor = 272.0 / 320;
}
