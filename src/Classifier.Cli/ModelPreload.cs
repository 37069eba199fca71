using Classifier.Core.Models;

namespace Classifier.Cli;

/// <summary>
/// `predict` in a new process starts loading its model on another thread before the command line is built and parsed,
/// which takes about 30 ms of a run of 0.15 s. Only when the arguments name the model plainly (`predict ... --model PATH`
/// or `-m PATH`, or either joined to its value by '=' or ':'); the verb takes the load only for the path it parsed, and
/// otherwise loads as before. A load that fails fails the same way when taken, and one never taken (a parse error,
/// --help, a TEXT that looked like the option) is simply dropped.
/// </summary>
public sealed class ModelPreload
{
    private readonly string _path;
    private Task<ClassifierModel>? _load;

    /// <summary>The model path the arguments named.</summary>
    public string Path => _path;

    /// <summary>Whether <see cref="Load"/> has taken the preloaded model (it is taken once).</summary>
    public bool Taken => Volatile.Read(ref _load) is null;

    private ModelPreload(string path)
    {
        _path = path;
        _load = Task.Run(() => ModelFile.Load(path));
    }

    /// <summary>An option and its value in one argument, as System.CommandLine takes them.</summary>
    private static readonly string[] JoinedForms = ["--model=", "--model:", "-m=", "-m:"];

    /// <summary>A started load, or null when the arguments are not a `predict` that names its model plainly.</summary>
    public static ModelPreload? Start(string[] args)
    {
        if (args.Length < 2 || args[0] != "predict") return null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--") return null;
            if ((args[i] is "--model" or "-m") && i + 1 < args.Length) return new ModelPreload(args[i + 1]);
            foreach (var prefix in JoinedForms)
                if (args[i].StartsWith(prefix, StringComparison.Ordinal)) return new ModelPreload(args[i][prefix.Length..]);
        }
        return null;
    }

    /// <summary>The model loaded from <paramref name="path"/>: the preloaded one when it is the same path (once), else loaded now.</summary>
    public static ClassifierModel Load(ModelPreload? preload, string path)
    {
        if (preload is not null && preload._path == path && Interlocked.Exchange(ref preload._load, null) is { } load)
            return load.GetAwaiter().GetResult();
        return ModelFile.Load(path);
    }
}
