using System.Text;
using System.Text.Json;
using Classifier.Cli;

namespace Classifier.Tests.Cli;

/// <summary>What one in-process run of the command tree produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as one JSON object (fails the test with the output if it is not).</summary>
    public JsonElement Json()
    {
        try
        {
            using var doc = JsonDocument.Parse(Stdout);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON object ({e.Message}):\n{Stdout}\nstderr:\n{Stderr}");
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs `classifier ARGS` in process, as Program.cs would, with captured output and a given stdin.</summary>
public static class CliHarness
{
    public static async Task<CliResult> RunAsync(string[] args, string? stdin)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        Func<Stream> openStdin = () => new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? ""));
        var code = await CliApp.RunAsync(args, new CliContext(output, error, openStdin, false));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    /// <summary>Runs and asserts exit code 0, showing the whole output when it is not.</summary>
    public static async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args, stdin: null);
        Assert.True(result.ExitCode == 0, $"classifier {string.Join(' ', args)}\n{result}");
        return result;
    }

    /// <summary>The folder the test project copies data/fixtures/** into.</summary>
    public static string FixturesFolder => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Fixture(string name)
    {
        var path = Path.Combine(FixturesFolder, name);
        Assert.True(File.Exists(path), $"fixture {path} is missing from the test output");
        return path;
    }
}

/// <summary>A fresh temporary folder, deleted with everything in it on Dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public DirectoryInfo Info { get; } = Directory.CreateTempSubdirectory("classifier-tests-");

    public string Path => Info.FullName;

    /// <summary>A path inside the folder (nothing is created).</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Copies a fixture in and returns its new path.</summary>
    public string CopyFixture(string name, string? as_ = null)
    {
        var target = this[as_ ?? name];
        File.Copy(CliHarness.Fixture(name), target, overwrite: true);
        return target;
    }

    public string Write(string name, string text)
    {
        var path = this[name];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Info.Delete(recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
