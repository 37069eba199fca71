using System.Reflection;

namespace Classifier.Core;

/// <summary>Versions recorded in model files and shown by `info` and `--version`.</summary>
public static class ToolInfo
{
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Read on demand: reading it loads ML.NET, which predicting with a linear model never needs.</summary>
    public static string MlNetVersion =>
        typeof(Microsoft.ML.MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
