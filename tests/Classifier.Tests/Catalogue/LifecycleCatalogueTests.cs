using System.Diagnostics;
using System.Globalization;
using System.Text;
using Classifier.Cli;
using Classifier.Core.Models;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, lifecycle: what a verb promises to do when it is stopped. `tune` promises that Ctrl-C stops the search
/// and still trains and saves the best settings found so far (exit 130), however long that final fit takes; a second
/// Ctrl-C aborts at once and leaves nothing. The real executable gets real SIGINTs, as in InterruptCatalogueTests
/// (whose way of finding the built CLI and of undoing an inherited "ignore SIGINT" this file repeats); skipped when
/// the executable is not built or signals cannot be sent.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class LifecycleCatalogueTests : IDisposable
{
    private static readonly TimeSpan StageLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(60);

    /// <summary>How long Program waits after Ctrl-C before it forces the exit (Program.cs).</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [SkippableFact]
    public async Task Tune_SigintDuringTheSearch_TrainsAndSavesTheBestSoFar_Exit130()
    {
        var dll = ExecutableOrSkip();
        var (data, models) = Corpus();
        var model = Path.Combine(models, "m.zip");

        using var child = new Child(dll, _tmp.Path, TuneArguments(data, model));
        await SigintOnce(child, "trial 1:", TimeSpan.FromMilliseconds(300));
        var sent = Stopwatch.StartNew();
        var code = await child.ExitCode(ExitLimit);
        var took = sent.Elapsed;

        // The final fit on all 2,592 documents with one thread takes longer than the grace period (about 4 s here), so
        // the forced exit that used to end it ("cancelled: nothing was written", no model) had its chance to strike.
        Assert.True(code == ExitCodes.Cancelled, $"expected exit {ExitCodes.Cancelled}, got {code} ({took.TotalSeconds:0.0} s after SIGINT)\n{child}");
        Assert.Contains("training the best settings on all 2,592 documents", child.Stderr);
        Assert.EndsWith($"interrupted: saved the best model found so far to {model}\n", child.Stderr);
        Assert.DoesNotContain("cancelled", child.Stderr);
        Assert.Contains($"Model saved to {model}.", child.Stdout);
        Outcome.FolderHolds(models, "m.zip");

        var loaded = ClassifierModel.Load(model);
        Assert.NotNull(loaded.Manifest.Tune);
        Assert.Equal("sport", loaded.Predict("The striker scored twice and the team won the football match at the stadium").Label);
    }

    [SkippableFact]
    public async Task Tune_ASecondSigintDuringTheFinalFit_AbortsAtOnce_NoModelNoTemp()
    {
        var dll = ExecutableOrSkip();
        var (data, models) = Corpus();

        using var child = new Child(dll, _tmp.Path, TuneArguments(data, Path.Combine(models, "m.zip")));
        await SigintOnce(child, "trial 1:", TimeSpan.FromMilliseconds(300));
        Assert.True(await child.WaitForStderr("training the best settings", StageLimit), $"the final fit never started\n{child}");
        child.Interrupt();
        var sent = Stopwatch.StartNew();
        var code = await child.ExitCode(ExitLimit);
        var took = sent.Elapsed;

        Assert.True(code == ExitCodes.Cancelled, $"expected exit {ExitCodes.Cancelled}, got {code}\n{child}");
        // At once: well before the final fit could end, and before the first SIGINT's grace period would have run out.
        Assert.True(took < GracePeriod / 2, $"exited {took.TotalSeconds:0.00} s after the second SIGINT\n{child}");
        Assert.EndsWith("cancelled: nothing was written\n", child.Stderr);
        Assert.DoesNotContain("saved model", child.Stderr);
        Outcome.FolderHolds(models);
    }

    private static string[] TuneArguments(string data, string model) =>
        ["tune", "--data", data, "--text", "title,text", "--label", "topic", "--trials", "10", "--folds", "2", "--threads", "1", "--model", model];

    /// <summary>The embedded corpus six times over (2,592 documents): a fit takes a few seconds with one thread.</summary>
    private (string Data, string Models) Corpus()
    {
        var sample = File.ReadAllLines(Path.Combine(RepositoryRoot()!, "data", "news-sample.csv"));
        var table = Csv.Parse(string.Join('\n', sample));
        var sb = new StringBuilder(Csv.Line(',', table[0]));
        for (int copy = 0; copy < 6; copy++)
            foreach (var row in table.Skip(1))
                sb.Append(Csv.Line(',', [$"{row[0]}-{copy}", row[1], $"{row[2]} (copy {copy})", .. row[3..]]));
        return (_tmp.Write("data.csv", sb.ToString()), Directory.CreateDirectory(_tmp["models"]).FullName);
    }

    /// <summary>Sends SIGINT <paramref name="delay"/> after <paramref name="stage"/> shows on stderr.</summary>
    private static async Task SigintOnce(Child child, string stage, TimeSpan delay)
    {
        Assert.True(await child.WaitForStderr(stage, StageLimit), $"'{stage}' never showed\n{child}");
        Skip.If(child.IgnoresSigint(), "the process ignores SIGINT (inherited disposition) and `env --default-signal` is not available");
        await Task.Delay(delay);
        child.Interrupt();
    }

    private static string ExecutableOrSkip()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGINT is a Unix signal");
        var dll = Executable();
        Skip.If(dll is null, "the CLI is not built (src/Classifier.Cli/bin/<Configuration>/net10.0/classifier.dll); run dotnet build first");
        return dll!;
    }

    /// <summary>The repository root: the first folder above the test binaries that holds Classifier.sln.</summary>
    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Classifier.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>The CLI built in the same configuration as these tests (bin/CONFIGURATION/net10.0), else any that is built.</summary>
    private static string? Executable()
    {
        var root = RepositoryRoot();
        if (root is null) return null;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        return new[] { configuration, "Debug", "Release" }
            .Select(c => Path.Combine(root, "src", "Classifier.Cli", "bin", c, "net10.0", "classifier.dll"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>`env --default-signal=INT` undoes an inherited "ignore SIGINT", which .NET would otherwise respect.</summary>
    private static readonly Lazy<bool> EnvResetsSignals = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { RedirectStandardError = true })!;
            p.WaitForExit(10_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>A running child and its output, read line by line as it comes.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stderr = new();
        private readonly StringBuilder _stdout = new();

        public Child(string dll, string workingDirectory, string[] args)
        {
            var info = EnvResetsSignals.Value
                ? new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", dll, .. args])
                : new ProcessStartInfo("dotnet", [dll, .. args]);
            info.WorkingDirectory = workingDirectory;
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.RedirectStandardInput = true;
            info.UseShellExecute = false;
            _process = new Process { StartInfo = info };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.Append(e.Data).Append('\n'); };
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.Append(e.Data).Append('\n'); };
            _process.Start();
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
        }

        public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

        public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

        public override string ToString() => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

        public async Task<bool> WaitForStderr(string text, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < limit)
            {
                if (Stderr.Contains(text, StringComparison.Ordinal)) return true;
                if (_process.HasExited) return false;
                await Task.Delay(10);
            }
            return false;
        }

        public bool IgnoresSigint()
        {
            try
            {
                var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
                return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber) & 0x2) != 0;
            }
            catch (IOException)
            {
                return false;
            }
        }

        public void Interrupt()
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))!;
            kill.WaitForExit();
            Assert.True(kill.ExitCode == 0, $"kill -INT {_process.Id} failed");
        }

        public async Task<int> ExitCode(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                Assert.Fail($"the process did not exit within {limit} of SIGINT\n{this}");
            }
            _process.WaitForExit(); // drains the output readers
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
