namespace Predictive.Onnx.Registry;

/// <summary>A model was asked for by <c>name/version</c> and is not loaded.</summary>
public sealed class ModelNotLoadedException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public ModelNotLoadedException(string key, IEnumerable<string> loaded)
        : base($"model '{key}' is not loaded; loaded models: {string.Join(", ", loaded.DefaultIfEmpty("none"))}.")
    {
        Key = key;
    }

    /// <summary>The requested key.</summary>
    public string Key { get; }
}
