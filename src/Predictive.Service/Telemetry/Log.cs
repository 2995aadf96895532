
namespace Predictive.Service.Telemetry;

/// <summary>The service's structured log events.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Loaded model {Model} (sha256 {Sha256}, {FeatureCount} features) from {Directory}")]
    public static partial void ModelLoaded(ILogger logger, string model, string sha256, int featureCount, string directory);

    [LoggerMessage(1002, LogLevel.Warning, "Refused model {Model} at stage {Stage}: {Reason}")]
    public static partial void ModelRefused(ILogger logger, string model, string stage, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Models directory {Directory}: {Loaded} loaded, {Refused} refused, default {Default}, generation {Generation}")]
    public static partial void RegistryLoaded(ILogger logger, string directory, int loaded, int refused, string? @default, long generation);

    [LoggerMessage(1004, LogLevel.Information, "Unloaded model {Model}; its session closes when in-flight requests finish")]
    public static partial void ModelRetired(ILogger logger, string model);

    [LoggerMessage(1005, LogLevel.Information, "Activated model {Model} for {Scope}, generation {Generation}")]
    public static partial void ModelActivated(ILogger logger, string model, string scope, long generation);

    [LoggerMessage(1006, LogLevel.Warning, "No model is loaded from {Directory}; /v1/targets answers 503 until one is")]
    public static partial void NoModels(ILogger logger, string directory);

    [LoggerMessage(2001, LogLevel.Error, "Model {Model} returned invalid weights: {Problems}")]
    public static partial void InvalidModelOutput(ILogger logger, string model, string problems);

    [LoggerMessage(2002, LogLevel.Error, "ONNX Runtime failed on model {Model}")]
    public static partial void InferenceFailed(ILogger logger, Exception exception, string model);

    [LoggerMessage(2003, LogLevel.Warning, "Admin request to {Path} rejected: {Reason}")]
    public static partial void AdminRejected(ILogger logger, string path, string reason);

    [LoggerMessage(2004, LogLevel.Warning, "Model registry poll failed; keeping the last verified set: {Reason}")]
    public static partial void RegistryPollFailed(ILogger logger, string reason);
}
