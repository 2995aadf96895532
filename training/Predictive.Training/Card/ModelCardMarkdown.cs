using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Predictive.Training.Card;

/// <summary>Renders a model card (the JSON pinned in <c>model.json</c>) as <c>model-card.md</c>, so the page shows exactly what governance approves.</summary>
public static class ModelCardMarkdown
{
    // Markdown shows configuration names as written ('+', not \u002B); the page is text, not HTML.
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file name written beside <c>model.json</c>.</summary>
    public const string FileName = "model-card.md";

    /// <summary>Writes <see cref="FileName"/> into the model directory.</summary>
    public static void WriteBeside(string directory, JsonObject card, Predictive.Onnx.Manifest.ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        File.WriteAllText(Path.Combine(directory, FileName), Render(card, manifest.Name, manifest.Version, manifest.Sha256));
    }

    /// <summary>The card as Markdown.</summary>
    public static string Render(JsonObject card, string name, string version, string sha256)
    {
        ArgumentNullException.ThrowIfNull(card);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# Model card: {name} {version}\n\n");
        md.Append(c, $"`model.onnx` SHA-256 `{sha256}`; this card is pinned by it (`predictive.model_card_sha256`), so changing the card in `model.json` makes the model refuse to load.\n\n");
        var data = card["data"]!;
        md.Append(c, $"**Data**: {data["range"]}, {data["bars"]} bars × {data["assets"]!.AsArray().Count} assets, SHA-256 `{data["sha256"]}`.\n\n");
        var search = card["search"]!;
        if (search["space"] is JsonArray space)
        {
            md.Append(c, $"**Search**: {space.Count} configurations in the space; {search["trials_in_search"]} trials in the search, {search["trials_in_ledger_recorded_by_search"]} in the ledger after it, **{search["trials_in_ledger"]} in the ledger when this model was trained**. Chosen: {search["chosen_by"]}. Search file SHA-256 `{search["search_sha256"]}`.\n\n");
            if (search["search_out_of_sample"] is JsonObject oos)
            {
                md.Append("The search's own out-of-sample result (nested walk-forward: each outer block predicted by the configuration chosen on its training range alone):\n\n| outer fold | test | chosen | inner Sharpe | outer Sharpe | 1/N |\n|---|---|---|---|---|---|\n");
                foreach (var o in oos["outer_folds"]!.AsArray())
                {
                    md.Append(c, $"| {o!["fold"]} | {o["test"]} | {o["chosen"]} | {F(o["inner_sharpe"])} | {F(o["sharpe"])} | {F(o["equal_weight_sharpe"])} |\n");
                }

                md.Append(c, $"| **overall** | | | | {F(oos["sharpe"])} | {F(oos["equal_weight_sharpe"])} |\n\nDeflated Sharpe of the search's outer result: {F(oos["deflated_sharpe"])}. The table below is the chosen configuration retrained on the same outer folds: it was chosen with those blocks in view, so the search's figure above is the honest out-of-sample one.\n\n");
            }
        }
        else
        {
            md.Append(c, $"**Search**: none (one trial).\n\n");
        }

        md.Append("**Configuration**:");
        foreach (var (key, value) in card["configuration"]!.AsObject())
        {
            md.Append(c, $" `{key}` = {value?.ToJsonString(Readable) ?? "null"};");
        }

        md.Append(c, $" evaluation policy `{card["evaluation_policy"]}`.\n\n");
        if (card["walk_forward"] is JsonObject wf)
        {
            var b = card["bootstrap"]!;
            md.Append(c, $"## Walk-forward, out of sample, net of costs\n\n{Pct(b["level"])} confidence intervals: stationary bootstrap, {b["resamples"]} resamples, seed {b["seed"]}, mean block ⌈T^⅓⌉.\n\n");
            md.Append("| fold | test | Sharpe | CI | 1/N Sharpe | 1/N CI | turnover | max drawdown |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var row in wf["folds"]!.AsArray())
            {
                Row(md, row!["fold"]!.ToString(), row);
            }

            Row(md, "**overall**", wf["overall"]!);
            md.Append('\n');
        }

        var seeds = card["seeds"]!;
        md.Append(c, $"## Seeds\n\n{seeds["count"]} member(s); Sharpe of {seeds["basis"]}: ");
        md.Append(string.Join(", ", seeds["members"]!.AsArray().Select(m => string.Create(c, $"seed {m!["seed"]} {F(m["sharpe"])}"))));
        md.Append(c, $". Mean {F(seeds["mean"])}, sd {F(seeds["sd"])}, worst {F(seeds["min"])}, best {F(seeds["max"])}.\n\n");
        if (card["deflated_sharpe"] is JsonObject dsr)
        {
            md.Append(c, $"**Deflated Sharpe**: {F(dsr["value"])} over {dsr["trials"]} trial(s) (per-bar Sharpe variance of the trials {F(dsr["trial_sharpe_variance_per_bar"], "G3")}).\n\n");
        }

        if (card["holdings"] is JsonObject h)
        {
            md.Append(c, $"**Holdings**: mean effective N {F(h["mean_effective_n"], "F2")} (least {F(h["min_effective_n"], "F2")}; 1/N {F(h["equal_weight_mean_effective_n"], "F2")}), mean largest weight {Pct(h["mean_largest_weight"])}, largest ever {Pct(h["largest_weight"])} ({h["largest_weight_asset"]}), mean cash {Pct(h["mean_cash"])}.\n");
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, string label, JsonNode row) =>
        md.Append(CultureInfo.InvariantCulture, $"| {label} | {row["test"]} | {F(row["sharpe"])} | {Ci(row["sharpe_ci"])} | {F(row["equal_weight_sharpe"])} | {Ci(row["equal_weight_sharpe_ci"])} | {F(row["turnover"], "F2")} | {Pct(row["max_drawdown"])} |\n");

    private static string Ci(JsonNode? pair) => pair is JsonArray { Count: 2 } a ? $"[{F(a[0])}, {F(a[1])}]" : "—";

    private static string F(JsonNode? value, string format = "F3") =>
        value is null ? "—" : value.GetValue<double>().ToString(format, CultureInfo.InvariantCulture);

    private static string Pct(JsonNode? value) => value is null ? "—" : value.GetValue<double>().ToString("P1", CultureInfo.InvariantCulture);
}
