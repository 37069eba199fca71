using System.Reflection;
using System.Text.RegularExpressions;
using Classifier.Core.Models;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Classifier.Tests.Library;

/// <summary>
/// The library example in README.md ("Use a model from .NET") is compiled with Roslyn against Classifier.Core, as a
/// user's console program would be, and run on a trained model: what it prints must be the model's own prediction.
/// </summary>
[Collection(CliCollection.Name)] // it writes to Console.Out, which the in-process CLI tests also redirect
public sealed class LibraryExampleTests(ScoreModelFixture model) : IClassFixture<ScoreModelFixture>
{
    private static string ReadmeExample(string marker = "library-example")
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "README.md"))) dir = dir.Parent;
        Assert.True(dir is not null, "README.md not found above the test output folder");
        var readme = File.ReadAllText(Path.Combine(dir!.FullName, "README.md"));
        var match = Regex.Match(readme, $@"<!-- {marker} -->\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"README.md has no csharp block after <!-- {marker} -->");
        return match.Groups["code"].Value;
    }

    /// <summary>What a console project of the .NET SDK imports for every file (ImplicitUsings, on by default in `dotnet new console`).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(ClassifierModel).Assembly.Location)
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("ReadmeExample",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(code, parse)],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, "the README example does not compile:\n" +
            string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(image.ToArray());
    }

    [Fact]
    public void ReadmeLibraryExample_CompilesAndPrintsTheModelsPrediction()
    {
        var assembly = Compile(ReadmeExample());
        var console = new StringWriter();
        var before = Console.Out;
        Console.SetOut(console);
        try
        {
            assembly.EntryPoint!.Invoke(null, [new[] { model.TrainedModel }]);
        }
        finally
        {
            Console.SetOut(before);
        }
        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = ClassifierModel.Load(model.TrainedModel).Predict("Shares fell after the central bank raised interest rates");
        Assert.Equal("business", expected.Label);
        Assert.StartsWith($"{expected.Label} ", lines[0]);
        Assert.Equal(expected.Score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), lines[0].Split(' ')[1]);
        Assert.Equal(1 + Math.Min(3, expected.All.Count), lines.Length);
    }

    private static string[] Run(Assembly assembly, string[] args)
    {
        var console = new StringWriter();
        var before = Console.Out;
        Console.SetOut(console);
        try
        {
            assembly.EntryPoint!.Invoke(null, [args]);
        }
        finally
        {
            Console.SetOut(before);
        }
        return console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "README.md"))) dir = dir.Parent;
        return dir!.FullName;
    }

    [Fact]
    public void ReadmeTrainingExample_TrainsFromAFile_EvaluatesTheHoldout_AndPredicts()
    {
        var assembly = Compile(ReadmeExample("library-training-example"));
        var lines = Run(assembly, [Path.Combine(Repository(), "data", "news-sample.csv"), "topic", "title", "text"]);
        Assert.Equal(2, lines.Length);
        // The embedded corpus's topic model scores 0.95 and more on its holdout (README, Train).
        Assert.Matches(@"^held-out accuracy 0\.9\d\d$", lines[0]);
        Assert.Equal("business", lines[1]);
    }

    [Fact]
    public void ReadmeTrainingExample_TrainsFromPairs_WithoutEvaluation()
    {
        var lines = Run(Compile(ReadmeExample("library-training-example")), []);
        Assert.Equal(["business"], lines);
    }
}
