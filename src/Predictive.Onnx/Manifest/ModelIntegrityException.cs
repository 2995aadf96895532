namespace Predictive.Onnx.Manifest;

/// <summary>A model directory cannot be trusted: its manifest is missing or unreadable, or the hash does not match.</summary>
public sealed class ModelIntegrityException : Exception
{
    /// <summary>Creates the exception for the model directory <paramref name="directory"/>.</summary>
    public ModelIntegrityException(string directory, string problem, Exception? inner = null)
        : base($"model in '{directory}' cannot be loaded: {problem}", inner)
    {
        Directory = directory;
    }

    /// <summary>The model directory.</summary>
    public string Directory { get; }
}
