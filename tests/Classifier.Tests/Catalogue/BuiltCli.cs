using System.Diagnostics;
using System.Globalization;
using System.Text;
using Classifier.Cli;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// The built CLI as a child process that gets real signals, for the catalogue's Ctrl-C and lifecycle tests: where the
/// executable is, how to undo an inherited "ignore SIGINT", and the running child with its output.
/// </summary>
internal static class BuiltCli
{
    /// <summary>The repository root: the first folder above the test binaries that holds Classifier.sln.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Classifier.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>The CLI built in the same configuration as these tests (bin/CONFIGURATION/net10.0), else any that is built.</summary>
    public static string? Executable()
    {
        var root = RepositoryRoot();
        if (root is null) return null;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        return new[] { configuration, "Debug", "Release" }
            .Select(c => Path.Combine(root, "src", "Classifier.Cli", "bin", c, "net10.0", "classifier.dll"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// `env --default-signal=INT` undoes an inherited "ignore SIGINT" (background jobs of a non-interactive shell get
    /// one), which .NET would otherwise respect by never raising Console.CancelKeyPress.
    /// </summary>
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

    /// <summary>A running child and its stderr, read line by line as it comes.</summary>
    public sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stderr = new();
        private readonly StringBuilder _stdout = new();

        public Child(string dll, string workingDirectory, params string[] args)
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

        public int Id => _process.Id;

        public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

        public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

        public override string ToString() => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

        /// <summary>Waits until stderr holds <paramref name="text"/>; false if the process ended first or time ran out.</summary>
        public async Task<bool> WaitForStderr(string text, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < limit)
            {
                if (Stderr.Contains(text, StringComparison.Ordinal)) return true;
                if (_process.HasExited) return false;
                await Task.Delay(25);
            }
            return false;
        }

        /// <summary>Whether the child ignores SIGINT (bit 2 of SigIgn in /proc/PID/status), as an inherited disposition can make it.</summary>
        public bool IgnoresSigint()
        {
            try
            {
                var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
                return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber) & 0x2) != 0;
            }
            catch (IOException)
            {
                return false;
            }
        }

        /// <summary>
        /// Sends SIGINT, first checking that the work it is meant to land in is still running: the process has not exited
        /// and stderr does not yet hold <paramref name="finished"/>. A signal that comes too late says so, instead of
        /// blaming the product for an exit 0 (the input is then too small for the machine).
        /// </summary>
        public void InterruptWhileRunning(string finished)
        {
            if (_process.HasExited) Assert.Fail($"the process exited ({_process.ExitCode}) before the signal was sent\n{this}");
            Assert.False(Stderr.Contains(finished, StringComparison.Ordinal),
                $"the signal came too late: the work had reached '{finished}' already; make the input larger\n{this}");
            Interrupt();
        }

        public void Interrupt()
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", Id.ToString(CultureInfo.InvariantCulture)]))!;
            kill.WaitForExit();
            Assert.True(kill.ExitCode == 0, $"kill -INT {Id} failed");
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

    public static string ExecutableOrSkip()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGINT is a Unix signal");
        var dll = Executable();
        Skip.If(dll is null, "the CLI is not built (src/Classifier.Cli/bin/<Configuration>/net10.0/classifier.dll); run dotnet build first");
        return dll!;
    }
}
