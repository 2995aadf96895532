using System.Text.Json.Serialization;

namespace Predictive.Research.Comparison;

/// <summary>The settings a comparison ran with, stated at the top of the report and in <c>results.json</c>.</summary>
public sealed record ReportParameters
{
    /// <summary>The market data: a file name or the synthetic market, the assets and the bars backtested.</summary>
    [JsonPropertyName("data")]
    public required string Data { get; init; }

    /// <summary>The cost model: pool fee, price impact and gas.</summary>
    [JsonPropertyName("costs")]
    public required string Costs { get; init; }

    /// <summary>The allocators compared.</summary>
    [JsonPropertyName("allocators")]
    public required IReadOnlyList<string> Allocators { get; init; }

    /// <summary>The rebalancing policies compared.</summary>
    [JsonPropertyName("policies")]
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>The seed of the synthetic market and of the bootstrap.</summary>
    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    /// <summary>The command that reproduces the report.</summary>
    [JsonPropertyName("command")]
    public required string Command { get; init; }

    /// <summary>Warnings about the run (data coverage, in-sample models); empty when there are none.</summary>
    [JsonPropertyName("warnings")]
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
