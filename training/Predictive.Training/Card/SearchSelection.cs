using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictive.Training.Pipeline;
using Predictive.Training.Study;

namespace Predictive.Training.Card;

/// <summary>
/// The configuration a search chose, read from its <c>search.json</c> (<see cref="SearchReport.ToJson"/>), with what
/// the model card needs from the file. The configuration is <c>chosen</c> when the file names one; otherwise the one
/// chosen on the last outer fold, whose inner folds span the longest training range.
/// </summary>
/// <param name="File">The file, as given.</param>
/// <param name="Sha256">Its SHA-256.</param>
/// <param name="Chosen">The chosen configuration's name.</param>
/// <param name="ChosenBy">How it was chosen.</param>
/// <param name="Space">Every configuration of the space.</param>
/// <param name="TrialIds">Every trial the search ran.</param>
/// <param name="LedgerTrials">The ledger's trial count the search recorded.</param>
/// <param name="Epochs">The most epochs per fit the search trained with.</param>
/// <param name="DataRange">The data range the search ran on (from its trial ids), or null when they do not say.</param>
/// <param name="OutOfSample">The search's own out-of-sample figures: each outer fold's choice and Sharpe, the chained overall, 1/N, the deflated Sharpe.</param>
public sealed record SearchSelection(string File, string Sha256, string Chosen, string ChosenBy, IReadOnlyList<string> Space, IReadOnlyList<string> TrialIds, int LedgerTrials, int Epochs, string? DataRange, JsonObject OutOfSample)
{
    private const string TrialPrefix = "research-search:";

    // TrainingOptions.Epochs' default, which research search uses without --epochs.
    private const int DefaultEpochs = 30;

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <param name="path">The search's <c>search.json</c>.</param>
    /// <param name="configuration">A configuration of the space to train instead of the search's choice, or null.</param>
    /// <exception cref="ArgumentException">The file is missing, not a search result, or the configuration is not in its space; the message names the file and the problem.</exception>
    public static SearchSelection Read(string path, string? configuration = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!System.IO.File.Exists(path))
        {
            throw new ArgumentException($"search file '{path}' does not exist.", nameof(path));
        }

        var bytes = System.IO.File.ReadAllBytes(path);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(bytes) as JsonObject ?? throw new ArgumentException($"search file '{path}' is not a JSON object.", nameof(path));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"search file '{path}' is not valid JSON ({e.Message}).", nameof(path), e);
        }

        var space = Strings(json, "space", path);
        var outer = json["outer_folds"] as JsonArray is { Count: > 0 } folds ? folds : throw Missing(path, "outer_folds");
        var trials = (json["trials"] as JsonArray ?? throw Missing(path, "trials")).Select(t => t?["trial_id"]?.GetValue<string>() ?? throw Missing(path, "trials[].trial_id")).ToList();
        var ledger = json["ledger_trials"]?.GetValue<int>() ?? throw Missing(path, "ledger_trials");
        var searched = json["trials_this_search"]?.GetValue<int>() ?? throw Missing(path, "trials_this_search");
        if (searched != trials.Count)
        {
            throw new ArgumentException($"search file '{path}' says trials_this_search {searched} but lists {trials.Count} trials.", nameof(path));
        }

        string chosen, chosenBy;
        if (configuration is not null)
        {
            (chosen, chosenBy) = (configuration, "named on the command line (--configuration)");
        }
        else if (json["chosen"]?.GetValue<string>() is { } named)
        {
            (chosen, chosenBy) = (named, "the search's choice (search.json 'chosen')");
        }
        else
        {
            var last = outer[^1]!;
            chosen = last["chosen"]?.GetValue<string>() ?? throw Missing(path, "outer_folds[].chosen");
            chosenBy = string.Create(CultureInfo.InvariantCulture, $"the configuration chosen on the last outer fold ({last["fold"]}), whose inner folds span the longest training range");
        }

        if (!space.Contains(chosen, StringComparer.Ordinal))
        {
            throw new ArgumentException($"configuration '{chosen}' is not in the space of search file '{path}' ({space.Count} configurations).", nameof(configuration));
        }

        var outOfSample = new JsonObject
        {
            ["outer_folds"] = new JsonArray([.. outer.Select(o => (JsonNode)new JsonObject
            {
                ["fold"] = o?["fold"]?.DeepClone(),
                ["test"] = o?["test"]?.DeepClone(),
                ["chosen"] = o?["chosen"]?.DeepClone(),
                ["inner_sharpe"] = o?["inner_sharpe"]?.DeepClone(),
                ["sharpe"] = o?["test_metrics"]?["sharpe"]?.DeepClone(),
                ["equal_weight_sharpe"] = o?["equal_weight_test_metrics"]?["sharpe"]?.DeepClone(),
            })]),
            ["sharpe"] = json["outer_overall"]?["sharpe"]?.DeepClone(),
            ["equal_weight_sharpe"] = json["equal_weight_overall"]?["sharpe"]?.DeepClone(),
            ["deflated_sharpe"] = json["deflated_sharpe"]?.DeepClone(),
        };
        return new SearchSelection(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), chosen, chosenBy, space, trials, ledger, ReadEpochs(json), ReadDataRange(trials), outOfSample);
    }

    /// <summary>The chosen configuration's training options: the space's entry of that name over <paramref name="baseline"/>, with the search's epochs, on the samples of the baseline's full spec (as the search judged every feature set).</summary>
    /// <exception cref="ArgumentException">This build's search space has no configuration of that name.</exception>
    public TrainingOptions Options(TrainingOptions baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var variant = NestedSearch.DefaultSpace(baseline with { Epochs = Epochs }).FirstOrDefault(v => v.Name == Chosen)
            ?? throw new ArgumentException($"configuration '{Chosen}' of search file '{File}' is not in this build's search space; was the search run by another version?");
        return variant.Options with { SampleSpec = baseline.ResolveSpec() };
    }

    /// <summary>The card's provenance, with the ledger's count and Sharpe variance when this model is trained.</summary>
    public CardProvenance Provenance(int ledgerTrials, double trialSharpeVariance) =>
        new(Chosen, Space, TrialIds.Count, LedgerTrials, ledgerTrials, trialSharpeVariance, File, Sha256, ChosenBy, OutOfSample);

    // search.json's "epochs" when it has one, else the --epochs of its command line, else the default (30).
    private static int ReadEpochs(JsonObject json)
    {
        if (json["epochs"]?.GetValue<int>() is { } epochs)
        {
            return epochs;
        }

        var tokens = (json["command_line"]?.GetValue<string>() ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(tokens, "--epochs");
        return at >= 0 && at + 1 < tokens.Length && int.TryParse(tokens[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : DefaultEpochs;
    }

    // The trial ids are research-search:<data range>:s<seed>:outer<k>:<configuration>.
    private static string? ReadDataRange(IReadOnlyList<string> ids)
    {
        var ranges = ids.Where(i => i.StartsWith(TrialPrefix, StringComparison.Ordinal))
            .Select(i => i[TrialPrefix.Length..])
            .Select(rest => rest.IndexOf(":s", StringComparison.Ordinal) is var end and > 0 ? rest[..end] : null)
            .Distinct()
            .ToList();
        return ranges is [{ } one] ? one : null;
    }

    private static List<string> Strings(JsonObject json, string key, string path) =>
        (json[key] as JsonArray ?? throw Missing(path, key)).Select(x => x?.GetValue<string>() ?? throw Missing(path, key + "[]")).ToList();

    private static ArgumentException Missing(string path, string key) => new($"search file '{path}' has no '{key}'; is it a search.json of 'predictive research search'?", nameof(path));
}
