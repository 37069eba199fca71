using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Classifier.Core;
using Classifier.Core.Data;
using CsCheck;
using Xunit.Abstractions;

namespace Classifier.Tests.Fuzzing;

/// <summary>
/// Property: whatever the bytes, every reader (through <see cref="RecordReaders.Open"/>) and
/// <see cref="DatasetLoader.Load"/> either succeed or throw <see cref="InputException"/>, the tool's own "bad input"
/// (exit code 2). Any other exception would reach the user as "unexpected failure" (exit 1) or a crash.
/// Inputs: random bytes, bytes drawn from the characters that matter to the parsers, and random mutations of valid
/// CSV, TSV, JSON Lines and fastText files; also gzip-compressed and as label folders.
/// The default suite runs <see cref="DefaultIterations"/> inputs per test (a few seconds in all). A longer session:
/// <c>CLASSIFIER_FUZZ_ITER=200000 dotnet test --filter FullyQualifiedName~Fuzzing</c>, or
/// <c>CLASSIFIER_FUZZ_SECONDS=600</c> to run each test for that long. A failure prints the CsCheck seed of the smallest
/// failing input; <c>CsCheck_Seed=SEED</c> replays it.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    public const long DefaultIterations = 400;

    private static readonly DataFormat[] StreamFormats = [DataFormat.Csv, DataFormat.Tsv, DataFormat.Jsonl, DataFormat.FastText, DataFormat.Txt];

    /// <summary>Valid inputs to mutate: the fixtures and a few hand-made files with the tricky parts (quotes, BOM, CRLF, arrays).</summary>
    private static readonly byte[][] Seeds = LoadSeeds();

    private static byte[][] LoadSeeds()
    {
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");
        var csv = File.ReadAllText(Path.Combine(fixtures, "tiny-news.csv"));
        var table = Scoring.Csv.Parse(csv);
        var tsv = string.Concat(table.Take(12).Select(r => string.Join('\t', r.Select(f => f.Replace('\t', ' ').Replace('\n', ' '))) + "\n"));
        var seeds = new List<string>
        {
            string.Join('\n', csv.Split('\n').Take(14)) + "\n",
            tsv,
            string.Join('\n', File.ReadAllText(Path.Combine(fixtures, "tiny-news.jsonl")).Split('\n').Take(8)) + "\n",
            string.Join('\n', File.ReadAllText(Path.Combine(fixtures, "tiny-news.ft")).Split('\n').Take(8)) + "\n",
            string.Join('\n', File.ReadAllText(Path.Combine(fixtures, "multi-label.csv")).Split('\n').Take(8)) + "\n",
            "\uFEFFid,text,label\r\n1,\"quoted, with comma\",a\r\n2,\"multi\r\nline \"\"quote\"\"\",b\r\n3,,c\r\n4,plain,\r\n",
            "text\tlabel\nthe 5\" screen\tx\n\"quoted\ttab\"\ty\n",
            "{\"text\":\"a\",\"label\":[\"x\",\"y\"],\"n\":1.5,\"o\":{\"k\":[1,{}]},\"z\":null}\n{\"text\":\"\\u0000\\ud800 esc\",\"label\":true}\n[1]\n\"s\"\n",
            "__label__a __label__b text here\n__label__ empty\nno label\n\n__label__c\n",
        };
        return seeds.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    private static long Iterations => long.TryParse(Environment.GetEnvironmentVariable("CLASSIFIER_FUZZ_ITER"), out var n) && n > 0 ? n : DefaultIterations;

    private static int Seconds => int.TryParse(Environment.GetEnvironmentVariable("CLASSIFIER_FUZZ_SECONDS"), out var s) && s > 0 ? s : -1;

    // ---------------------------------------------------------------- generators

    /// <summary>Bytes that steer the parsers: separators, quotes, line ends, JSON punctuation, BOM and invalid UTF-8 lead bytes.</summary>
    private static readonly byte[] Structural =
        [(byte)',', (byte)'\t', (byte)'"', (byte)'\n', (byte)'\r', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)'\\',
         (byte)' ', (byte)'_', (byte)'a', (byte)'1', 0x00, 0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0xC3, 0x80, 0xE2];

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 600];

    private static readonly Gen<byte[]> StructuralBytes = Gen.OneOf(Structural).Array[0, 300];

    /// <summary>One edit: what, where (a fraction of the length) and with which byte or length.</summary>
    private static readonly Gen<(int Kind, double At, byte Value, int Length)> Edit =
        Gen.Select(Gen.Int[0, 8], Gen.Double[0, 1], Gen.OneOf(Gen.OneOf(Structural), Gen.Byte), Gen.Int[1, 40]);

    private static readonly Gen<byte[]> Mutated =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Edit.Array[1, 12]).Select(t => Mutate(Seeds[t.Item1], t.Item2));

    private static readonly Gen<byte[]> AnyInput = Gen.Frequency((1, RandomBytes), (2, StructuralBytes), (5, Mutated));

    internal static byte[] Mutate(byte[] seed, (int Kind, double At, byte Value, int Length)[] edits)
    {
        var b = new List<byte>(seed);
        foreach (var (kind, at, value, length) in edits)
        {
            var pos = Math.Min(b.Count, (int)(at * b.Count));
            var len = Math.Min(length, b.Count - pos);
            switch (kind)
            {
                case 0: if (pos < b.Count) b[pos] = value; break;                                   // overwrite a byte
                case 1: b.Insert(pos, value); break;                                                // insert a byte
                case 2: b.RemoveRange(pos, len); break;                                             // delete a run
                case 3: b.InsertRange(pos, b.GetRange(pos, len)); break;                            // duplicate a run
                case 4: b.RemoveRange(pos, b.Count - pos); break;                                   // truncate
                case 5: b.InsertRange(pos, Enumerable.Repeat(value, length)); break;                // a run of one byte
                case 6: b.InsertRange(pos, [0xEF, 0xBB, 0xBF]); break;                              // a BOM anywhere
                case 7: b.InsertRange(pos, [0xC3]); break;                                          // a cut UTF-8 sequence
                default:                                                                            // move a run
                    var run = b.GetRange(pos, len);
                    b.RemoveRange(pos, len);
                    b.InsertRange((int)((1 - at) * b.Count), run);
                    break;
            }
        }
        return b.ToArray();
    }

    // ---------------------------------------------------------------- the property

    /// <summary>Opens and reads every way the tool does; only <see cref="InputException"/> may escape, and it is swallowed.</summary>
    private static void ReadEveryWay(Func<IRecordReader> open)
    {
        // Lenient: bad rows are reported through the callback, the rest is read to the end.
        Tolerate(() =>
        {
            using var reader = open();
            _ = reader.Columns.Count;
            var bad = new List<BadRow>();
            foreach (var record in reader.Read(bad.Add))
            {
                foreach (var (_, value) in record.Fields) _ = value?.Length;
                _ = record.Line;
            }
            foreach (var e in bad) _ = e.Describe();
        });
        // Strict: the first bad row throws.
        Tolerate(() =>
        {
            using var reader = open();
            foreach (var _ in reader.Read()) { }
        });
        // Training: the columns a user would name, and the ones this input happens to have.
        Tolerate(() =>
        {
            using var reader = open();
            DatasetLoader.Load(reader, ["text"], "label");
        });
        Tolerate(() =>
        {
            using var reader = open();
            var columns = reader.Columns;
            if (columns.Count == 0) return;
            DatasetLoader.Load(reader, [columns[0]], columns[^1], labels: new LabelSpec(Separator: ";"));
        });
    }

    private static void Tolerate(Action action)
    {
        try
        {
            action();
        }
        catch (InputException e)
        {
            _ = e.Describe();
        }
    }

    private void Run<T>(Gen<T> gen, Action<T> property, long? iterations = null) => Sample(gen, property, output, iterations);

    /// <summary>Runs the property for the default iterations, or as CLASSIFIER_FUZZ_ITER / CLASSIFIER_FUZZ_SECONDS say.</summary>
    internal static void Sample<T>(Gen<T> gen, Action<T> property, ITestOutputHelper output, long? iterations = null) =>
        gen.Sample(property, writeLine: output.WriteLine, iter: Seconds > 0 ? -1 : iterations ?? Iterations, time: Seconds);

    // ---------------------------------------------------------------- tests

    [Fact]
    public void EveryStreamReader_OnAnyBytes_SucceedsOrThrowsInputException() =>
        Run(AnyInput, bytes =>
        {
            foreach (var format in StreamFormats)
                ReadEveryWay(() => RecordReaders.Open("-", format, labelled: true, stdin: () => new MemoryStream(bytes, writable: false)));
        });

    [Fact]
    public void EveryFileReader_OnMutatedFiles_PlainAndGzip_SucceedsOrThrowsInputException()
    {
        var dir = Directory.CreateTempSubdirectory("classifier-fuzz-");
        try
        {
            var counter = 0;
            Run(Gen.Select(Mutated, Gen.Int[0, 3], Gen.Double[0, 1]), t =>
            {
                var (bytes, wrap, cut) = t;
                var n = Interlocked.Increment(ref counter);
                foreach (var (ext, format) in new[] { (".csv", DataFormat.Auto), (".tsv", DataFormat.Auto), (".jsonl", DataFormat.Auto), (".ft", DataFormat.Auto), (".txt", DataFormat.Txt) })
                {
                    var gz = wrap > 0;
                    var path = Path.Combine(dir.FullName, $"{n}{ext}{(gz ? ".gz" : "")}");
                    File.WriteAllBytes(path, gz ? Gzip(bytes, wrap, cut) : bytes);
                    try
                    {
                        ReadEveryWay(() => RecordReaders.Open(path, format));
                    }
                    finally
                    {
                        File.Delete(path);
                    }
                }
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>1: valid gzip; 2: gzip cut short at <paramref name="cut"/>; 3: the gzip magic bytes followed by the raw input.</summary>
    private static byte[] Gzip(byte[] bytes, int how, double cut)
    {
        if (how == 3) return [0x1F, 0x8B, .. bytes];
        using var m = new MemoryStream();
        using (var gz = new GZipStream(m, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        var all = m.ToArray();
        return how == 2 ? all[..(int)(all.Length * cut)] : all;
    }

    /// <summary>
    /// Property: a .gz cut anywhere short of its end is never read as if whole; reading it to the end throws an
    /// <see cref="InputException"/> (a cut .gz once gave half its rows and exit 0).
    /// </summary>
    [Fact]
    public void TruncatedGzip_AnyCut_IsNeverReadAsWhole()
    {
        var dir = Directory.CreateTempSubdirectory("classifier-fuzz-gz-");
        try
        {
            var counter = 0;
            Run(Gen.Select(Mutated, Gen.Double[0, 1]), t =>
            {
                var (bytes, cut) = t;
                var whole = Gzip(bytes, 1, 1);
                var length = Math.Max(0, Math.Min(whole.Length - 1, (int)(cut * whole.Length)));
                var n = Interlocked.Increment(ref counter);
                foreach (var ext in new[] { ".csv", ".jsonl", ".txt" })
                {
                    var path = Path.Combine(dir.FullName, $"{n}{ext}.gz");
                    File.WriteAllBytes(path, whole[..length]);
                    try
                    {
                        Assert.Throws<InputException>(() =>
                        {
                            using var reader = RecordReaders.Open(path, ext == ".txt" ? DataFormat.Txt : DataFormat.Auto);
                            foreach (var _ in reader.ReadAll()) { }
                        });
                    }
                    finally
                    {
                        File.Delete(path);
                    }
                }
            }, iterations: Math.Max(1, Iterations / 2));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static readonly string[] KeyPool = ["id", "title", "text", "label", "note", "n\\u0000ul"];

    /// <summary>
    /// Property: JSON Lines objects with differing keys read as the union of every object's keys, in the order they first
    /// appear (NUL read as a space); each row has its own values, and null where its object lacks the key.
    /// </summary>
    [Fact]
    public void Jsonl_ObjectsWithDifferingKeys_ReadAsTheUnionOfKeys()
    {
        var dir = Directory.CreateTempSubdirectory("classifier-fuzz-keys-");
        try
        {
            var counter = 0;
            var objects = Gen.Int[0, (1 << KeyPool.Length) - 1].Array[1, 12];
            Run(objects, masks =>
            {
                // Values of every JSON kind, with the characters a scanner must not take for structure.
                string[] values = ["\"v\"", "\"a \\\"q\\\" , } b\"", "12.5", "{\"k\":[1,{\"x\":\"}]\"}]}", "[\"]\",2,[]]", "true", "null", "\"\\\\\""];
                var rows = masks.Select((mask, i) => KeyPool.Where((_, k) => (mask >> k & 1) == 1)
                    .Select((k, j) => (Key: k, Json: values[(i + j) % values.Length])).ToList()).ToList();
                var text = string.Concat(rows.Select(r => "{" + string.Join(", ", r.Select(f => $"\"{f.Key}\": {f.Json}")) + "}\n"));
                var path = Path.Combine(dir.FullName, $"{Interlocked.Increment(ref counter)}.jsonl");
                File.WriteAllText(path, text);
                try
                {
                    static string Name(string key) => key.Replace("\\u0000", " ");
                    var union = rows.SelectMany(r => r.Select(f => Name(f.Key))).Distinct().ToList();
                    using var reader = RecordReaders.Open(path, DataFormat.Auto);
                    Assert.Equal(union, reader.Columns);
                    var read = reader.ReadAll().ToList();
                    Assert.Equal(rows.Count, read.Count);
                    for (int i = 0; i < rows.Count; i++)
                        foreach (var column in union)
                        {
                            var json = rows[i].Where(f => Name(f.Key) == column).Select(f => f.Json).FirstOrDefault();
                            // Strings as themselves, numbers and booleans as their JSON text, null (or a missing key) as null.
                            var expected = json is null or "null" ? null
                                : json.StartsWith('"') ? JsonSerializer.Deserialize<string>(json)
                                : json.StartsWith('{') || json.StartsWith('[') ? read[i][column] : json;
                            Assert.Equal(expected, read[i][column]);
                        }
                }
                finally
                {
                    File.Delete(path);
                }
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void FolderReader_OnFilesOfAnyBytes_SucceedsOrThrowsInputException()
    {
        var dir = Directory.CreateTempSubdirectory("classifier-fuzz-dir-");
        try
        {
            var counter = 0;
            Run(Gen.Select(AnyInput, AnyInput, Gen.Bool), t =>
            {
                var (a, b, labelled) = t;
                var root = Path.Combine(dir.FullName, Interlocked.Increment(ref counter).ToString(System.Globalization.CultureInfo.InvariantCulture));
                Directory.CreateDirectory(Path.Combine(root, "one", "deeper"));
                Directory.CreateDirectory(Path.Combine(root, "two"));
                File.WriteAllBytes(Path.Combine(root, "one", "a.txt"), a);
                File.WriteAllBytes(Path.Combine(root, "one", "deeper", "b.md"), b);
                File.WriteAllBytes(Path.Combine(root, "two", "c.txt"), b);
                try
                {
                    ReadEveryWay(() => RecordReaders.Open(root, DataFormat.Auto, labelled));
                }
                finally
                {
                    Directory.Delete(root, recursive: true);
                }
            }, iterations: Math.Max(1, Iterations / 4));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Mutate_KeepsInputsValidOftenEnough_ToReachPastTheHeader()
    {
        // A sanity check of the generator: a good share of single edits leaves a CSV that still reads rows.
        var reached = 0;
        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var bytes = Mutate(Seeds[0], [(random.Next(0, 9), random.NextDouble(), (byte)'x', random.Next(1, 40))]);
            try
            {
                using var reader = RecordReaders.Open("-", DataFormat.Csv, stdin: () => new MemoryStream(bytes));
                if (reader.Read(_ => { }).Any()) reached++;
            }
            catch (InputException)
            {
            }
        }
        Assert.True(reached > 100, $"only {reached} of 200 mutated files had a readable row");
    }
}
