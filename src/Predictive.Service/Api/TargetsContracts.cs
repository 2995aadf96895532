namespace Predictive.Service.Api;

/// <summary>The body of <c>POST /v1/targets</c>.</summary>
/// <param name="Portfolios">The portfolios to allocate, at most <c>Predictive:MaxPortfolios</c>.</param>
public sealed record TargetsRequest(IReadOnlyList<PortfolioRequest?>? Portfolios);

/// <summary>One portfolio: either <paramref name="Features"/> or <paramref name="Prices"/>.</summary>
/// <param name="Id">The portfolio (or strategy) id; selects its active model and labels the result.</param>
/// <param name="Assets">Asset symbols, in the order of the other arrays.</param>
/// <param name="CurrentWeights">Weights held now, one per asset: finite, ≥ 0, summing to at most 1 (the rest is cash).</param>
/// <param name="Features">Features [assets][features] in the model's feature order (see <c>GET /v1/models</c>).</param>
/// <param name="Prices">Price history from which the service builds the features with the model's feature spec.</param>
/// <param name="Model">Optional <c>name/version</c> of a loaded model; otherwise the portfolio's active model or the default.</param>
public sealed record PortfolioRequest(
    string? Id,
    IReadOnlyList<string?>? Assets,
    double[]? CurrentWeights,
    double[]?[]? Features,
    PriceHistory? Prices,
    string? Model);

/// <summary>Bars of prices; the last bar is the decision time.</summary>
/// <param name="Timestamps">Strictly increasing bar times (ISO-8601).</param>
/// <param name="Close">Symbol → closes, one per timestamp; null where the asset had no price (not yet listed).</param>
/// <param name="Volume">Symbol → quote volumes, one per timestamp; needed when the model's features use volume.</param>
public sealed record PriceHistory(
    DateTimeOffset[]? Timestamps,
    Dictionary<string, double?[]?>? Close,
    Dictionary<string, double?[]?>? Volume);

/// <summary>The answer of <c>POST /v1/targets</c>.</summary>
/// <param name="Model">The model, when every portfolio used the same one; null when the batch mixed models.</param>
/// <param name="Targets">One result per portfolio, in request order; each names its model.</param>
public sealed record TargetsResponse(ModelInfo? Model, IReadOnlyList<TargetResult> Targets);

/// <summary>Which model produced a result.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Version">The model version.</param>
/// <param name="Sha256">The SHA-256 of its ONNX file.</param>
public sealed record ModelInfo(string Name, string Version, string Sha256);

/// <summary>Target weights for one portfolio.</summary>
/// <param name="Id">The portfolio id.</param>
/// <param name="Model">The model that produced the weights.</param>
/// <param name="Assets">The assets, as in the request.</param>
/// <param name="Weights">Target weights: finite, ≥ 0, summing to 1 within 1e-6.</param>
/// <param name="Drift">How far the current weights are from the targets.</param>
public sealed record TargetResult(string Id, ModelInfo Model, IReadOnlyList<string> Assets, double[] Weights, DriftInfo Drift);

/// <summary>Drift of the current weights from the targets.</summary>
/// <param name="L1">Σ|current − target| (twice the one-way turnover of a full rebalance).</param>
/// <param name="MaxAbs">The largest |current − target|.</param>
/// <param name="MaxAsset">The asset with the largest drift.</param>
public sealed record DriftInfo(double L1, double MaxAbs, string? MaxAsset);
