namespace Predictive.Service.Api;

/// <summary>The answer of <c>GET /v1/models</c>.</summary>
/// <param name="Default">The default model (<c>name/version</c>), or null when none is loaded.</param>
/// <param name="Loaded">Loaded, valid models.</param>
/// <param name="Refused">Models refused by the last load, with the reason.</param>
/// <param name="Active">Portfolio id → active model, for portfolios that do not use the default.</param>
/// <param name="Generation">Increases with every reload or activation.</param>
public sealed record ModelsResponse(
    string? Default,
    IReadOnlyList<LoadedModel> Loaded,
    IReadOnlyList<RefusedModel> Refused,
    IReadOnlyDictionary<string, string> Active,
    long Generation);

/// <summary>A loaded model.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Version">The model version.</param>
/// <param name="Sha256">The SHA-256 of its ONNX file.</param>
/// <param name="Features">The feature names, in the order <c>features</c> must follow.</param>
/// <param name="Assets">The fixed asset list, or null when the model takes any assets.</param>
/// <param name="IsDefault">Whether it is the default.</param>
/// <param name="ActiveFor">Portfolios for which it is active.</param>
public sealed record LoadedModel(
    string Name,
    string Version,
    string Sha256,
    IReadOnlyList<string> Features,
    IReadOnlyList<string>? Assets,
    bool IsDefault,
    IReadOnlyList<string> ActiveFor);

/// <summary>A refused model.</summary>
/// <param name="Model"><c>name/version</c> from the directory layout.</param>
/// <param name="Stage">The check that failed: integrity, opset, session, contract, feature-spec or smoke.</param>
/// <param name="Reason">What is wrong.</param>
/// <param name="At">When it was refused.</param>
public sealed record RefusedModel(string Model, string Stage, string Reason, DateTimeOffset At);

/// <summary>The answer of an activation.</summary>
/// <param name="Model">The activated model.</param>
/// <param name="Portfolio">The portfolio it is now active for, or null when it became the default.</param>
/// <param name="Generation">The registry generation after the change.</param>
public sealed record ActivationResponse(ModelInfo Model, string? Portfolio, long Generation);
