using System.Text.Json.Serialization;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// The evaluation record of one challenger against the champion: the window, both net Sharpe ratios, the bootstrap
/// interval of their difference, the deflated Sharpe ratio over the trial ledger, and the decision with its reason.
/// </summary>
public sealed record Evaluation
{
    /// <summary>The challenger, <c>name/version</c>.</summary>
    [JsonPropertyName("challenger")]
    public required string Challenger { get; init; }

    /// <summary>The challenger's SHA-256.</summary>
    [JsonPropertyName("challenger_sha256")]
    public required string ChallengerSha256 { get; init; }

    /// <summary>The champion, <c>name/version</c>, or <c>equal</c> (1/N) when no model was active.</summary>
    [JsonPropertyName("champion")]
    public required string Champion { get; init; }

    /// <summary>The champion's SHA-256, when it is a model.</summary>
    [JsonPropertyName("champion_sha256")]
    public string? ChampionSha256 { get; init; }

    /// <summary>The evaluation window, <c>start/end</c> (ISO-8601).</summary>
    [JsonPropertyName("window")]
    public required string Window { get; init; }

    /// <summary>The last bar the challenger's training or validation saw; before the window by construction and by check.</summary>
    [JsonPropertyName("challenger_trained_through")]
    public required DateTimeOffset ChallengerTrainedThrough { get; init; }

    /// <summary>The rebalancing policy of both backtests.</summary>
    [JsonPropertyName("policy")]
    public required string Policy { get; init; }

    /// <summary>Returns in the window.</summary>
    [JsonPropertyName("observations")]
    public required int Observations { get; init; }

    /// <summary>The challenger's annualized net Sharpe ratio on the window.</summary>
    [JsonPropertyName("challenger_sharpe")]
    public required double ChallengerSharpe { get; init; }

    /// <summary>The champion's annualized net Sharpe ratio on the window.</summary>
    [JsonPropertyName("champion_sharpe")]
    public required double ChampionSharpe { get; init; }

    /// <summary>Lower end of the stationary-bootstrap interval of (challenger − champion) annualized Sharpe.</summary>
    [JsonPropertyName("difference_ci_low")]
    public required double DifferenceCiLow { get; init; }

    /// <summary>Upper end of that interval.</summary>
    [JsonPropertyName("difference_ci_high")]
    public required double DifferenceCiHigh { get; init; }

    /// <summary>The interval's confidence level.</summary>
    [JsonPropertyName("confidence_level")]
    public required double ConfidenceLevel { get; init; }

    /// <summary>The challenger's deflated Sharpe ratio (a probability), with every trial in the ledger as the trials.</summary>
    [JsonPropertyName("deflated_sharpe")]
    public required double DeflatedSharpe { get; init; }

    /// <summary>The level the deflated Sharpe ratio had to exceed.</summary>
    [JsonPropertyName("min_deflated_sharpe")]
    public required double MinDeflatedSharpe { get; init; }

    /// <summary>How many trials the ledger held, this one included.</summary>
    [JsonPropertyName("trials")]
    public required int Trials { get; init; }

    /// <summary>The bootstrap's seed and resamples.</summary>
    [JsonPropertyName("bootstrap")]
    public required string Bootstrap { get; init; }

    /// <summary>Whether the challenger is to be promoted.</summary>
    [JsonPropertyName("promote")]
    public required bool Promote { get; init; }

    /// <summary>Why.</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    /// <summary>The HTML report.</summary>
    [JsonPropertyName("report")]
    public string? Report { get; init; }

    /// <summary>The rule itself, so a reader can re-check the decision from the numbers alone.</summary>
    public static bool Passes(double ciLow, double deflated, double minDeflated) => ciLow > 0 && deflated > minDeflated;
}
