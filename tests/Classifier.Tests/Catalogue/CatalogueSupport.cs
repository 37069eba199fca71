using System.Diagnostics;
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
/// <summary>
/// Permission cases. A normal user runs the command tree in process. Root reads and writes anything, so under root
/// (as in CI) the CLI runs as a child process with the uid and gid of "nobody" (util-linux setpriv), on a folder
/// handed over to that user: the permission bits are then enforced exactly as for any user.
/// </summary>
public static class Permissions
{
    private const int Nobody = 65534;
    private static readonly Lazy<Mode> Detected = new(Probe);

    private enum Mode { NotEnforced, InProcess, AsNobody }

    public static bool AreEnforced => Detected.Value != Mode.NotEnforced;

    public const string SkipReason = "file permissions are not enforced for this user, and running as 'nobody' is not possible here";

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "classifier.dll");

    private static Mode Probe()
    {
        if (OperatingSystem.IsWindows()) return Mode.NotEnforced;
        if (Environment.UserName != "root") return ReadIsRefused(asNobody: false) ? Mode.InProcess : Mode.NotEnforced;
        return File.Exists("/usr/bin/setpriv") && File.Exists(Cli) && ReadIsRefused(asNobody: true) ? Mode.AsNobody : Mode.NotEnforced;
    }

    private static bool ReadIsRefused(bool asNobody)
    {
        var dir = Directory.CreateTempSubdirectory("classifier-perm-probe-");
        try
        {
            var file = Path.Combine(dir.FullName, "locked");
            File.WriteAllText(file, "x");
            if (asNobody) HandOver(dir.FullName);
            File.SetUnixFileMode(file, UnixFileMode.None);
            if (asNobody)
            {
                using var p = Process.Start(AsNobody("cat", [file]))!;
                p.WaitForExit();
                return p.ExitCode != 0;
            }
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
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return false;
        }
        finally
        {
            foreach (var f in dir.GetFiles()) File.SetUnixFileMode(f.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Runs the command tree as this user would: in process, or as 'nobody' under root.</summary>
    /// <param name="folder">The test's folder: under root it is handed over to 'nobody' first.</param>
    public static async Task<CliResult> RunAsync(string folder, params string[] args)
    {
        if (Detected.Value != Mode.AsNobody) return await CliHarness.RunAsync(args);
        HandOver(folder);
        using var p = Process.Start(AsNobody("dotnet", [Cli, .. args]))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo AsNobody(string program, string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/setpriv", [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", program, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // 'nobody' has no home folder; the .NET host only needs somewhere to write.
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    /// <summary>Gives the folder and everything in it to 'nobody', so that the owner's permission bits are theirs.</summary>
    private static void HandOver(string folder)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", ["-R", $"{Nobody}:{Nobody}", folder]) { UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"chown -R nobody {folder} failed");
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
