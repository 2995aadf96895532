namespace Predictive.Training.Card;

/// <summary>
/// Where a trained configuration came from, as the model card records it: a search (its space, the trials it ran and
/// the trials the ledger held when the model was trained) or none (a plain <c>train</c>: one trial).
/// </summary>
/// <param name="Configuration">The configuration's name (a search's candidate name, or <c>train</c>'s description).</param>
/// <param name="Space">Every configuration of the search space; empty for a plain training.</param>
/// <param name="SearchTrials">The trials the search ran (search.json's <c>trials_this_search</c>); 1 without a search.</param>
/// <param name="SearchLedgerTrials">The ledger's trial count the search recorded (search.json's <c>ledger_trials</c>); null without a search.</param>
/// <param name="LedgerTrials">The trials in the trial ledger when this model was trained (the deflated Sharpe's N); 1 without a search.</param>
/// <param name="TrialSharpeVariance">The variance of the ledger trials' per-bar Sharpe ratios (the deflated Sharpe's V); 0 without a search.</param>
/// <param name="SearchFile">The search result the configuration was taken from (its path as given), or null.</param>
/// <param name="SearchSha256">The SHA-256 of that file, or null.</param>
/// <param name="ChosenBy">How the configuration was chosen from the search.</param>
/// <param name="SearchOuter">The search's own out-of-sample figures (outer folds, chosen per fold), copied from the file; null without a search.</param>
public sealed record CardProvenance(
    string Configuration,
    IReadOnlyList<string> Space,
    int SearchTrials,
    int? SearchLedgerTrials,
    int LedgerTrials,
    double TrialSharpeVariance,
    string? SearchFile,
    string? SearchSha256,
    string ChosenBy,
    System.Text.Json.Nodes.JsonObject? SearchOuter)
{
    /// <summary>A plain training: no search, one trial.</summary>
    public static CardProvenance None(string configuration) =>
        new(configuration, [], 1, null, 1, 0, null, null, "no search: the configuration given to train", null);
}
