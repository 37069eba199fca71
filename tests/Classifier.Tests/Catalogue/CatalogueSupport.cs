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

    /// <summary>Exit 3: finished, but some rows were bad (README, "Exit codes"); no error line.</summary>
    public static void BadRows(CliResult r)
    {
        Assert.True(r.ExitCode == 3, $"expected exit 3\n{r}");
        Assert.DoesNotContain(StderrLines(r), l => l.StartsWith("error: ", StringComparison.Ordinal));
    }

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

/// <summary>
/// Permission cases. A normal user runs the command tree in process. Root reads and writes anything, so under root
/// (as in CI) the CLI runs as a child process with the uid and gid of "nobody" (util-linux setpriv), on a folder
/// handed over to that user: the permission bits are then enforced exactly as for any user.
/// 'nobody' often cannot reach the test output folder (a clone under root's home, mode 700, or in a `mktemp -d`
/// folder), so the CLI it runs is a copy of the test output in a fresh folder under the system temp folder, opened to
/// every user; the probe runs that very copy as 'nobody', so a skip names what is really missing.
/// </summary>
public static class Permissions
{
    private const int Nobody = 65534;
    private static readonly Lazy<(Mode Mode, string Reason)> Detected = new(Probe);
    private static readonly Lazy<string> CliCopy = new(CopyCli);

    private enum Mode { NotEnforced, InProcess, AsNobody }

    public static bool AreEnforced => Detected.Value.Mode != Mode.NotEnforced;

    public static string SkipReason => Detected.Value.Reason;

    private static string Cli => Path.Combine(CliCopy.Value, "classifier.dll");

    private static (Mode, string) Probe()
    {
        if (OperatingSystem.IsWindows()) return (Mode.NotEnforced, "Unix file modes do not apply on Windows");
        if (Environment.UserName != "root")
            return ReadIsRefused(asNobody: false)
                ? (Mode.InProcess, "")
                : (Mode.NotEnforced, "file permissions are not enforced for this user (a read of a mode-000 file succeeded)");
        if (!File.Exists("/usr/bin/setpriv")) return (Mode.NotEnforced, "running as root, and /usr/bin/setpriv (util-linux) is absent, so the CLI cannot run as 'nobody'");
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "classifier.dll"))) return (Mode.NotEnforced, "classifier.dll is not in the test output folder");
        var blocked = FolderNobodyCannotEnter(Path.GetTempPath());
        if (blocked is not null) return (Mode.NotEnforced, $"running as root, and 'nobody' cannot enter {blocked} above the system temp folder");
        var version = RunAsNobody("dotnet", [Cli, "--version"]);
        if (version.ExitCode != 0) return (Mode.NotEnforced, $"running as root, and 'nobody' cannot run the CLI copied to {CliCopy.Value}: {version.Stderr.Split('\n')[0]}");
        return ReadIsRefused(asNobody: true)
            ? (Mode.AsNobody, "")
            : (Mode.NotEnforced, "running as root, and 'nobody' could read a mode-000 file");
    }

    /// <summary>The first folder on the path to <paramref name="folder"/> that other users may not search, if any.</summary>
    private static string? FolderNobodyCannotEnter(string folder)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(folder)); dir is not null; dir = dir.Parent)
            if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0) return dir.FullName;
        return null;
    }

    /// <summary>
    /// Copies the test output folder (the CLI and the assemblies it loads) into a new folder under the system temp
    /// folder that every user may read, and deletes it when the test process exits.
    /// </summary>
    private static string CopyCli()
    {
        var target = Directory.CreateTempSubdirectory("classifier-cli-as-nobody-").FullName;
        var source = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            if (!Path.GetFileName(dir).Equals("artifacts", StringComparison.Ordinal))
                Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            if (!Directory.Exists(Path.GetDirectoryName(to))) continue;
            File.Copy(file, to);
            File.SetUnixFileMode(to, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        foreach (var dir in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).Prepend(target))
            File.SetUnixFileMode(dir, Open);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(target, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return target;
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
            if (asNobody) return RunAsNobody("cat", [file]).ExitCode != 0;
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

    private static CliResult RunAsNobody(string program, string[] args)
    {
        using var p = Process.Start(AsNobody(program, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new CliResult(p.ExitCode, stdout.Result, stderr);
    }

    /// <summary>Runs the command tree as this user would: in process, or as 'nobody' under root.</summary>
    /// <param name="folder">The test's folder: under root it is handed over to 'nobody' first.</param>
    public static async Task<CliResult> RunAsync(string folder, params string[] args)
    {
        if (Detected.Value.Mode != Mode.AsNobody) return await CliHarness.RunAsync(args);
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
            // The test process's own folder may be closed to 'nobody' (a clone under /root).
            WorkingDirectory = Path.GetTempPath(),
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
