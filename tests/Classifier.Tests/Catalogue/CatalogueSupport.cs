using System.Text;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// The outcomes the catalogue of hostile inputs (docs/catalogue.md) promises: exit code, the one line on stderr, and
/// what is left on disk.
/// </summary>
public static class Outcome
{
    /// <summary>
    /// Exit 2 with exactly one "error:" line, last on stderr, that starts with "error: <paramref name="file"/>" when a
    /// file is given and holds every <paramref name="contains"/>; no stack trace, nothing on stdout. Returns the line.
    /// </summary>
    public static string BadInput(CliResult r, string? file, params string[] contains)
    {
        Assert.True(r.ExitCode == 2, $"expected exit 2\n{r}");
        var lines = StderrLines(r);
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        var error = lines[^1];
        Assert.StartsWith(file is null ? "error: " : $"error: {file}", error);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
        Assert.Equal("", r.Stdout);
        foreach (var s in contains) Assert.True(error.Contains(s, StringComparison.Ordinal), $"the error line lacks '{s}':\n{r}");
        return error;
    }

    /// <summary>Exit 0, showing everything when it is not.</summary>
    public static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, $"expected exit 0\n{r}");

    public static string[] StderrLines(CliResult r) => r.Stderr.TrimEnd('\n').Split('\n');

    /// <summary>The "warning:" lines of stderr.</summary>
    public static string[] Warnings(CliResult r) => StderrLines(r).Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToArray();

    /// <summary>
    /// The folder holds exactly <paramref name="names"/> (file and folder names) and, in particular, no temporary file
    /// (".NAME.PID.GUID.tmp") of an interrupted atomic write.
    /// </summary>
    public static void FolderHolds(string folder, params string[] names)
    {
        var entries = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToArray(), entries);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>Neither the target nor a temporary file of it is in its folder.</summary>
    public static void NoFile(string target) => ScoreAssert.NoOutput(target);
}

/// <summary>Whether file permissions are enforced for this process: not for root, which reads and writes anything.</summary>
public static class Permissions
{
    private static readonly Lazy<bool> Enforced = new(Probe);

    public static bool AreEnforced => Enforced.Value;

    public const string SkipReason = "file permissions are not enforced for this user (root reads and writes anything)";

    private static bool Probe()
    {
        if (OperatingSystem.IsWindows()) return false;
        if (Environment.UserName == "root") return false;
        var dir = Directory.CreateTempSubdirectory("classifier-perm-probe-");
        try
        {
            var file = Path.Combine(dir.FullName, "locked");
            File.WriteAllText(file, "x");
            File.SetUnixFileMode(file, UnixFileMode.None);
            try
            {
                using (File.OpenRead(file)) { }
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        }
        finally
        {
            foreach (var f in dir.GetFiles()) File.SetUnixFileMode(f.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Makes <paramref name="path"/> (file or folder) unreadable or read-only until disposed.</summary>
    public static IDisposable Restrict(string path, UnixFileMode mode)
    {
        var before = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode);
        return new Restore(() => File.SetUnixFileMode(path, before));
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}

/// <summary>Tiny labelled inputs, written into a test's temporary folder.</summary>
public static class Inputs
{
    private static readonly string[] Sport =
    [
        "The striker scored a goal and the team won the football match at the stadium",
        "The tennis champion won the final in straight sets on the clay court",
        "The cricket captain hit a century and the bowlers took five wickets",
        "The golfer holed a long putt and won the open by three shots",
        "The coach praised the defence after the league match ended in a draw",
        "The sprinter broke the record in the final of the championship race",
    ];

    private static readonly string[] Business =
    [
        "The central bank raised interest rates and shares fell on the stock market",
        "Profits at the retailer missed forecasts and investors sold the stock",
        "The merger of two supermarket chains creates the largest retail group",
        "Inflation eased as consumer prices slowed and the bank held rates",
        "The company cut jobs after sales dropped and its shares hit a low",
        "Exports rose and the currency gained as the trade surplus widened",
    ];

    private static readonly string[] Health =
    [
        "Doctors at the hospital gave patients a vaccine at the clinic",
        "A clinical trial of a new drug for diabetes showed promise for patients",
        "The health ministry urged older patients to book a flu jab with their doctor",
        "Surgeons performed a heart transplant and the patient is recovering",
        "The mental health service will get more funding for therapy",
        "Nurses at the clinic treated children for measles after an outbreak",
    ];

    /// <summary>(text, label) rows: <paramref name="perClass"/> of each of sport, business and health, interleaved.</summary>
    public static IEnumerable<(string Text, string Label)> Rows(int perClass = 6)
    {
        for (int i = 0; i < perClass; i++)
        {
            var suffix = i < Sport.Length ? "" : $" again {i}";
            yield return (Sport[i % Sport.Length] + suffix, "sport");
            yield return (Business[i % Business.Length] + suffix, "business");
            yield return (Health[i % Health.Length] + suffix, "health");
        }
    }

    /// <summary>"text,label" CSV of <see cref="Rows"/>, LF line ends.</summary>
    public static string Csv(int perClass = 6) => "text,label\n" + string.Concat(Rows(perClass).Select(r => $"{r.Text},{r.Label}\n"));

    /// <summary>Writes bytes into the folder and returns the path.</summary>
    public static string WriteBytes(this TempDirectory dir, string name, byte[] bytes)
    {
        var path = dir[name];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[] Concat(params object[] parts) =>
        parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p).ToArray();
}
