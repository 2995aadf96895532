using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Research.Metrics;

namespace Predictive.Cli.Commands;

/// <summary><c>predictive train</c>: learn an allocator with walk-forward validation and export it as ONNX.</summary>
public static class TrainCommand
{
    /// <summary>The model kinds, in a stable order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["eiie", "mlp", "gbm"];

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A market data file, or 'synthetic'.", DefaultValueFactory = _ => DataSources.Synthetic };
        var model = new Option<string?>("--model") { Description = "eiie (asset-wise network), mlp (flattened baseline) or gbm (gradient-boosted trees); required unless --from-search." };
        var output = new Option<string>("--out") { Description = "Directory for model.onnx and model.json.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed for the synthetic market and the learner.", DefaultValueFactory = _ => 42 };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs per fit (eiie, mlp); early stopping may end sooner. Default 30." };
        var name = new Option<string?>("--name") { Description = "Model name written to model.json (default: <kind>-allocator)." };
        var version = new Option<string?>("--version") { Description = "Model version written to model.json (default: last training date and seed)." };
        var json = new Option<bool>("--json") { Description = "Print the walk-forward summary as JSON." };
        var baselines = new Option<string?>("--baselines")
        {
            Description = $"Classical allocators to run on the same folds and costs: a comma-separated list, 'all' or 'none' (default: all, that is {string.Join(",", ModelTraining.DefaultBaselines)}).",
        };
        var policy = new Option<string>("--policy") { Description = $"The rebalancing policy every walk-forward block is backtested with (as in compare): {PolicySpec.Forms}.", DefaultValueFactory = _ => "cost-band" };
        var maxWeight = new Option<double?>("--max-weight") { Description = "eiie only: cap on any one weight, in (0, 1], built into the network and the ONNX graph (raised to 1/available assets when lower)." };
        var cost = new Option<string>("--cost") { Description = "eiie/mlp: the cost the training loss charges: linear (10 bps × turnover) or pool (Core's cost model: fee, constant-product impact, gas per traded asset).", DefaultValueFactory = _ => "linear" };
        var penalty = new Option<double>("--turnover-penalty") { Description = "eiie/mlp with --cost pool: a turnover penalty of this multiple of the cost model's cost per unit of turnover (0: none)." };
        var band = new Option<float?>("--no-trade-band") { Description = "eiie/mlp: a no-trade band of this half-width per asset inside the training loop, in (0, 1)." };
        var tilt = new Option<float>("--tilt") { Description = "eiie/mlp: the output is 1/N + tilt × (network − 1/N), tilt in (0, 1] (1: no anchor).", DefaultValueFactory = _ => 1f };
        var ensemble = new Option<string?>("--ensemble-seeds") { Description = $"eiie/mlp: train one network per seed (comma-separated, at least two) and export the mean of their weights as one ONNX graph (with --from-search the default is {TrainFromSearch.DefaultSeeds})." };
        var fromSearch = new Option<string?>("--from-search") { Description = "Train the configuration a search chose: the search.json of 'predictive research search'; the model card records the search's space and trial counts." };
        var configuration = new Option<string?>("--configuration") { Description = "With --from-search: train this configuration of the search's space instead of its choice." };
        var database = new Option<string>("--db") { Description = "With --from-search: the trial ledger the search recorded its trials in (the operator's SQLite database).", DefaultValueFactory = _ => Path.Combine("operator-data", "operator.db") };
        var postgres = new Option<string?>("--postgres") { Description = "With --from-search: a clustered operator's PostgreSQL connection string (instead of --db)." };
        var cmd = new Command("train", "Train an allocator on walk-forward folds, then export the final model to ONNX.")
        {
            data, model, output, seed, epochs, name, version, json, baselines, maxWeight, policy, cost, penalty, band, tilt, ensemble, fromSearch, configuration, database, postgres,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var searchFile = parse.GetValue(fromSearch);
            if (searchFile is null && parse.GetValue(configuration) is not null)
            {
                throw new CliException("--configuration names a configuration of a search; it needs --from-search.");
            }

            if (searchFile is not null)
            {
                TrainFromSearch.RefuseConflicts(parse, model, epochs, maxWeight, policy, cost, penalty, band, tilt);
            }

            var kind = (parse.GetValue(model) ?? (searchFile is null ? throw new CliException("--model is required (or --from-search).") : "eiie")).ToLowerInvariant();
            if (!Kinds.Contains(kind))
            {
                throw new CliException($"--model '{kind}' is unknown; choose one of: {string.Join(", ", Kinds)}.");
            }

            var cap = parse.GetValue(maxWeight);
            if (cap is { } c && (kind != "eiie" || !(c > 0 && c <= 1)))
            {
                throw new CliException(kind != "eiie"
                    ? $"--max-weight is built into the eiie network only; for {kind}, cap weights after the model (allocate/compare --max-weight)."
                    : $"--max-weight {c.ToString(System.Globalization.CultureInfo.InvariantCulture)} is outside (0, 1].");
            }

            var baselineNames = ParseBaselines(parse.GetValue(baselines));
            PolicySpec rebalancing;
            try
            {
                rebalancing = PolicySpec.Parse(parse.GetValue(policy)!);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--policy: {e.Message}");
            }

            var panel = await DataSources.LoadAsync(parse.GetValue(data)!, parse.GetValue(seed), ct).ConfigureAwait(false);
            var searched = searchFile is null ? null : await TrainFromSearch.ResolveAsync(searchFile, parse.GetValue(configuration), panel, parse.GetValue(postgres), parse.GetValue(database)!, ct).ConfigureAwait(false);
            kind = searched is null ? kind : searched.Options.Model.ToString().ToLowerInvariant();
            var request = new ModelTraining.Request(
                kind,
                panel,
                Path.GetFullPath(parse.GetValue(output)!),
                parse.GetValue(seed),
                parse.GetValue(epochs),
                parse.GetValue(name),
                parse.GetValue(version),
                "predictive " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
                baselineNames,
                cap,
                rebalancing,
                Learning(kind, parse.GetValue(cost)!, parse.GetValue(penalty), parse.GetValue(band), parse.GetValue(tilt), parse.GetValue(ensemble) ?? (searched is null ? null : TrainFromSearch.DefaultSeeds)),
                searched);
            var started = context.Time.GetTimestamp();
            var summary = ModelTraining.Run(request, StampedLines(context.Error, context.Time), ct);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, summary).ConfigureAwait(false);
                return 0;
            }

            await PrintAsync(context.Out, summary, request.Learning?.EnsembleSeeds, context.Time.GetElapsedTime(started)).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    /// <summary>The learning choices, checked (they apply to the torch models only).</summary>
    private static LearningChoices? Learning(string kind, string cost, double penalty, float? band, float tilt, string? ensemble)
    {
        var kindCost = cost.ToLowerInvariant() switch
        {
            "linear" => Predictive.Training.Torch.TrainingCostKind.Linear,
            "pool" => Predictive.Training.Torch.TrainingCostKind.Pool,
            _ => throw new CliException($"--cost '{cost}' is unknown; choose linear or pool."),
        };
        IReadOnlyList<int>? seeds = null;
        if (ensemble is not null)
        {
            var parsed = ensemble.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new CliException($"--ensemble-seeds: '{x}' is not an integer."))
                .ToList();
            seeds = parsed.Count >= 2 && parsed.Distinct().Count() == parsed.Count ? parsed : throw new CliException($"--ensemble-seeds '{ensemble}' must list at least two distinct seeds.");
        }

        var choices = new LearningChoices(kindCost, penalty, band, tilt, seeds);
        if (kind == "gbm")
        {
            return choices == new LearningChoices(Predictive.Training.Torch.TrainingCostKind.Linear, 0, null, 1f, null)
                ? null
                : throw new CliException("--cost, --turnover-penalty, --no-trade-band, --tilt and --ensemble-seeds apply to eiie and mlp, not gbm.");
        }

        try
        {
            new Predictive.Training.Torch.TorchTrainerOptions { Cost = kindCost, TurnoverPenalty = penalty, NoTradeBand = band, Tilt = tilt }.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"training choices: {e.Message}");
        }

        return choices;
    }

    /// <summary>null (the default set), every allocator, none, or a checked list.</summary>
    private static string[]? ParseBaselines(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names is ["all"])
        {
            return [.. Allocators.Names];
        }

        if (names is ["none"] or [])
        {
            return [];
        }

        var unknown = names.Where(n => !Allocators.Names.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliException($"--baselines: unknown allocator(s) {string.Join(", ", unknown)}; choose from: {string.Join(", ", Allocators.Names)}, or 'all' / 'none'.");
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    private static async Task PrintAsync(TextWriter w, TrainSummary s, IReadOnlyList<int>? ensembleSeeds, TimeSpan elapsed)
    {
        // An ensemble is trained once per seed of --ensemble-seeds; --seed then plays no part in the networks.
        var seeds = ensembleSeeds is { Count: > 0 } ? $"an ensemble of seeds {string.Join(", ", ensembleSeeds)}" : $"seed {s.Seed}";
        await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Trained {s.Model} ({seeds}) in {elapsed.TotalSeconds:F1} s → {s.Artifact}")).ConfigureAwait(false);
        await w.WriteLineAsync($"  sha256 {s.Sha256}").ConfigureAwait(false);
        await w.WriteLineAsync($"  walk-forward, out of sample, Core's backtester with the real costs, policy {s.Policy} (turnover: annualized one-way):").ConfigureAwait(false);
        await w.WriteLineAsync($"  {"fold",-8}{"test period",-46}{"sharpe",8}{"turnover",10}{"max dd",9}").ConfigureAwait(false);
        foreach (var f in s.Folds)
        {
            await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {f.Fold,-8}{f.TestRange,-46}{f.Sharpe,8:F2}{f.Turnover,10:F4}{f.MaxDrawdown,9:P1}")).ConfigureAwait(false);
        }

        if (s.Overall is { } o)
        {
            await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"overall",-54}{o.Sharpe,8:F2}{o.Turnover,10:F4}{o.MaxDrawdown,9:P1}")).ConfigureAwait(false);
        }

        if (s.EqualWeight is { } e)
        {
            await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"1/N same folds",-54}{e.Sharpe,8:F2}{e.Turnover,10:F4}{e.MaxDrawdown,9:P1}")).ConfigureAwait(false);
        }

        if (s.Baselines is { Count: > 0 } baselines)
        {
            await PrintComparisonAsync(w, s, baselines).ConfigureAwait(false);
        }
    }

    /// <summary>The learned model next to each classical allocator: Sharpe per fold, then the chained figures.</summary>
    private static async Task PrintComparisonAsync(TextWriter w, TrainSummary s, IReadOnlyDictionary<string, BaselineSummary> baselines)
    {
        await w.WriteLineAsync("  comparison, same test blocks, costs and policy (Sharpe per fold; overall = blocks chained):").ConfigureAwait(false);
        var header = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"  {"policy",-14}"));
        foreach (var f in s.Folds)
        {
            header.Append(CultureInfo.InvariantCulture, $"{"fold " + f.Fold.ToString(CultureInfo.InvariantCulture),8}");
        }

        header.Append(CultureInfo.InvariantCulture, $"{"overall",9}{"turnover",10}{"max dd",9}");
        await w.WriteLineAsync(header.ToString()).ConfigureAwait(false);
        if (s.Overall is { } o)
        {
            await w.WriteLineAsync(Row(s.Model, s.Folds, o.Sharpe, o.Turnover, o.MaxDrawdown)).ConfigureAwait(false);
        }

        foreach (var (name, b) in baselines)
        {
            var label = b.Fallbacks > 0 ? string.Create(CultureInfo.InvariantCulture, $"{name}*") : name;
            await w.WriteLineAsync(Row(label, b.Folds, b.Sharpe, b.Turnover, b.MaxDrawdown)).ConfigureAwait(false);
        }

        if (baselines.Values.Any(b => b.Fallbacks > 0))
        {
            await w.WriteLineAsync("  * held equal weights on some bars where the allocator had no answer (see \"fallbacks\" in --json)").ConfigureAwait(false);
        }
    }

    private static string Row(string name, IReadOnlyList<FoldSummary> folds, double sharpe, double turnover, double maxDrawdown)
    {
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"  {name,-14}"));
        foreach (var f in folds)
        {
            line.Append(CultureInfo.InvariantCulture, $"{f.Sharpe,8:F2}");
        }

        line.Append(CultureInfo.InvariantCulture, $"{sharpe,9:F2}{turnover,10:F4}{maxDrawdown,9:P1}");
        return line.ToString();
    }

    /// <summary>Prints one line per epoch (or fit) to stderr with the elapsed time, so stdout stays clean for --json.</summary>
    internal static SyncProgress<string> StampedLines(TextWriter error, TimeProvider time)
    {
        var start = time.GetTimestamp();
        return new(value => error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{time.GetElapsedTime(start).TotalSeconds,6:F1}s] {value}")));
    }
}

/// <summary>The stable JSON of <c>train --json</c>: the walk-forward summary per fold and overall.</summary>
public sealed record TrainSummary(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("artifact")] string Artifact,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("folds")] IReadOnlyList<FoldSummary> Folds,
    [property: JsonPropertyName("overall")] MetricsSummary? Overall,
    [property: JsonPropertyName("equal_weight")] MetricsSummary? EqualWeight,
    [property: JsonPropertyName("baselines")] IReadOnlyDictionary<string, BaselineSummary>? Baselines = null,
    [property: JsonPropertyName("policy")] string Policy = "cost-band");

/// <summary>A classical allocator on the same walk-forward test blocks and costs as the learned model.</summary>
/// <param name="Sharpe">Annualized Sharpe of the chained test blocks, net of costs.</param>
/// <param name="Turnover">Annualized one-way turnover over the chained blocks (as <c>compare</c>'s: Σ notional / 2 / mean equity per year).</param>
/// <param name="MaxDrawdown">Maximum drawdown of the chained blocks.</param>
/// <param name="Folds">Per-fold results.</param>
/// <param name="Fallbacks">Bars where the allocator could not allocate and held equal weights instead.</param>
public sealed record BaselineSummary(
    [property: JsonPropertyName("sharpe")] double Sharpe,
    [property: JsonPropertyName("turnover")] double Turnover,
    [property: JsonPropertyName("max_drawdown")] double MaxDrawdown,
    [property: JsonPropertyName("folds")] IReadOnlyList<FoldSummary> Folds,
    [property: JsonPropertyName("fallbacks")] int Fallbacks);

/// <summary>One walk-forward fold's out-of-sample result.</summary>
public sealed record FoldSummary(
    [property: JsonPropertyName("fold")] int Fold,
    [property: JsonPropertyName("test_range")] string TestRange,
    [property: JsonPropertyName("sharpe")] double Sharpe,
    [property: JsonPropertyName("turnover")] double Turnover,
    [property: JsonPropertyName("max_drawdown")] double MaxDrawdown);

/// <summary>Headline statistics under <c>compare --json</c>'s names and definitions (Research's <see cref="PerformanceMetrics"/>): annualized Sharpe, annualized one-way turnover, maximum drawdown.</summary>
public sealed record MetricsSummary(
    [property: JsonPropertyName("sharpe")] double Sharpe,
    [property: JsonPropertyName("turnover")] double Turnover,
    [property: JsonPropertyName("max_drawdown")] double MaxDrawdown)
{
    /// <summary>The summary of a backtest's metrics.</summary>
    public static MetricsSummary? From(PerformanceMetrics? m) => m is null ? null : new(m.Sharpe, m.Turnover, m.MaxDrawdown);
}
