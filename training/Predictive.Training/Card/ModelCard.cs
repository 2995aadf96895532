using System.Text.Json.Nodes;
using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Research.Metrics;
using Predictive.Research.Statistics;

namespace Predictive.Training.Card;

/// <summary>One walk-forward test block of the card: the model's backtest and 1/N's on the same bars, policy and costs.</summary>
/// <param name="Index">The fold, from 0.</param>
/// <param name="TestRange">Its test range (UTC, <c>start/end</c>).</param>
/// <param name="Model">The model (the ensemble, when there is one) on the block.</param>
/// <param name="EqualWeight">1/N on the block.</param>
public sealed record CardFold(int Index, string TestRange, BacktestResult Model, BacktestResult EqualWeight);

/// <summary>One ensemble member (or the single network) as the card reports it.</summary>
/// <param name="Seed">Its seed.</param>
/// <param name="Folds">Its own backtest on every walk-forward test block, or null when no walk-forward ran.</param>
/// <param name="ValidationSharpe">Its final fit's Sharpe on the validation tail (used when no walk-forward ran).</param>
public sealed record CardMember(int Seed, IReadOnlyList<BacktestResult>? Folds, double? ValidationSharpe);

/// <summary>The seeded stationary bootstrap behind the card's confidence intervals (<see cref="StationaryBootstrap"/>).</summary>
/// <param name="Resamples">Resamples per interval. The default value is 1,000.</param>
/// <param name="Seed">The seed of every interval. The default value is 42.</param>
/// <param name="Level">The confidence level. The default value is 0.95.</param>
public sealed record CardBootstrap(int Resamples = 1_000, int Seed = 42, double Level = 0.95)
{
    /// <summary>The annualized Sharpe ratio of a return series and its percentile interval; the mean block length is ⌈T^⅓⌉.</summary>
    public (double Low, double High, double BlockLength) Interval(double[] returns, double barsPerYear)
    {
        ArgumentNullException.ThrowIfNull(returns);
        var block = StationaryBootstrap.DefaultBlockLength(returns.Length);
        var (low, high) = new StationaryBootstrap(block, Resamples, Seed).SharpeInterval(returns, barsPerYear, Level);
        return (low, high, block);
    }
}

/// <summary>What the card is built from.</summary>
/// <param name="Panel">The market data the model was trained and judged on.</param>
/// <param name="Configuration">The trained configuration, as JSON (model kind, loss, costs, restraints, hyperparameters, seeds).</param>
/// <param name="Provenance">The search it came from, or none.</param>
/// <param name="Folds">The walk-forward test blocks; empty when no walk-forward ran.</param>
/// <param name="Members">Every ensemble member, or the single network.</param>
/// <param name="Policy">The rebalancing policy of every evaluation backtest.</param>
/// <param name="Bootstrap">The confidence intervals' bootstrap.</param>
public sealed record CardInputs(PricePanel Panel, JsonObject Configuration, CardProvenance Provenance, IReadOnlyList<CardFold> Folds, IReadOnlyList<CardMember> Members, string Policy, CardBootstrap Bootstrap);

/// <summary>
/// The model card (issue 22) written into <c>model.json</c> at training time and pinned by the model's hash
/// (<see cref="Predictive.Onnx.Manifest.ModelCardSeal"/>): the data, the search space and trial counts, the chosen
/// configuration, the walk-forward table with bootstrap confidence intervals next to 1/N's, the spread across ensemble
/// seeds, the deflated Sharpe with its trial count, and the holdings (docs/model-contract.md, "Model card").
/// </summary>
public static class ModelCard
{
    /// <summary>The card format's version.</summary>
    public const int Schema = 1;

    /// <summary>Builds the card.</summary>
    /// <exception cref="ArgumentException">There is no member.</exception>
    public static JsonObject Build(CardInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Members.Count == 0)
        {
            throw new ArgumentException("a model card needs at least one trained member.", nameof(inputs));
        }

        var p = inputs.Provenance;
        var panel = inputs.Panel;
        return new JsonObject
        {
            ["schema"] = Schema,
            ["data"] = new JsonObject
            {
                ["range"] = $"{Iso(panel.Start!.Value)}/{Iso(panel.End!.Value)}",
                ["bars"] = panel.BarCount,
                ["assets"] = new JsonArray([.. panel.Assets.Select(a => JsonValue.Create(a))]),
                ["sha256"] = PanelDigest.Sha256(panel),
            },
            ["search"] = new JsonObject
            {
                ["space"] = p.Space.Count == 0 ? "none" : new JsonArray([.. p.Space.Select(s => JsonValue.Create(s))]),
                ["space_size"] = p.Space.Count,
                ["trials_in_search"] = p.SearchTrials,
                ["trials_in_ledger_recorded_by_search"] = p.SearchLedgerTrials,
                ["trials_in_ledger"] = p.LedgerTrials,
                ["search_file"] = p.SearchFile,
                ["search_sha256"] = p.SearchSha256,
                ["chosen_by"] = p.ChosenBy,
                ["search_out_of_sample"] = p.SearchOuter?.DeepClone(),
            },
            ["configuration"] = inputs.Configuration.DeepClone(),
            ["evaluation_policy"] = inputs.Policy,
            ["bootstrap"] = new JsonObject
            {
                ["method"] = "stationary bootstrap (Politis and Romano 1994), percentile interval of the annualized Sharpe ratio",
                ["mean_block_length"] = "ceil(T^(1/3)) for a series of T returns",
                ["resamples"] = inputs.Bootstrap.Resamples,
                ["seed"] = inputs.Bootstrap.Seed,
                ["level"] = inputs.Bootstrap.Level,
            },
            ["walk_forward"] = inputs.Folds.Count == 0 ? null : WalkForward(inputs.Folds, inputs.Bootstrap),
            ["seeds"] = Seeds(inputs.Members, inputs.Folds),
            ["deflated_sharpe"] = inputs.Folds.Count == 0 ? null : Deflated([.. inputs.Folds.Select(f => f.Model)], p),
            ["holdings"] = inputs.Folds.Count == 0 ? null : Holdings([.. inputs.Folds.Select(f => f.Model)], [.. inputs.Folds.Select(f => f.EqualWeight)]),
        };
    }

    /// <summary>The per-bar returns of blocks chained as <see cref="PerformanceMetrics.Chain"/> chains them (the series its Sharpe is computed from).</summary>
    public static double[] ChainedReturns(IReadOnlyList<BacktestResult> blocks) => ReturnStatistics.Returns(PerformanceMetrics.ChainedEquity(blocks));

    private static JsonObject WalkForward(IReadOnlyList<CardFold> folds, CardBootstrap bootstrap) => new()
    {
        ["folds"] = new JsonArray([.. folds.Select(f => (JsonNode)Row(f.TestRange, [f.Model], [f.EqualWeight], bootstrap, f.Index))]),
        ["overall"] = Row($"{folds[0].TestRange.Split('/')[0]}/{folds[^1].TestRange.Split('/')[^1]}", [.. folds.Select(f => f.Model)], [.. folds.Select(f => f.EqualWeight)], bootstrap, null),
    };

    private static JsonObject Row(string range, BacktestResult[] model, BacktestResult[] equal, CardBootstrap bootstrap, int? index)
    {
        var m = PerformanceMetrics.Chain(model);
        var e = PerformanceMetrics.Chain(equal);
        var (low, high, block) = bootstrap.Interval(ChainedReturns(model), model[0].BarsPerYear);
        var (eLow, eHigh, _) = bootstrap.Interval(ChainedReturns(equal), equal[0].BarsPerYear);
        var row = new JsonObject();
        if (index is { } i)
        {
            row["fold"] = i;
        }

        row["test"] = range;
        row["returns"] = m.Observations;
        row["mean_block_length"] = block;
        row["sharpe"] = Num(m.Sharpe);
        row["sharpe_ci"] = Pair(low, high);
        row["turnover"] = Num(m.Turnover);
        row["max_drawdown"] = Num(m.MaxDrawdown);
        row["equal_weight_sharpe"] = Num(e.Sharpe);
        row["equal_weight_sharpe_ci"] = Pair(eLow, eHigh);
        row["equal_weight_turnover"] = Num(e.Turnover);
        row["equal_weight_max_drawdown"] = Num(e.MaxDrawdown);
        return row;
    }

    private static JsonObject? Seeds(IReadOnlyList<CardMember> members, IReadOnlyList<CardFold> folds)
    {
        var walkForward = folds.Count > 0 && members.All(m => m.Folds is { Count: > 0 });
        var sharpes = members.Select(m => walkForward ? PerformanceMetrics.Chain(m.Folds!).Sharpe : m.ValidationSharpe ?? double.NaN).ToArray();
        var finite = sharpes.Where(double.IsFinite).ToArray();
        return new JsonObject
        {
            ["count"] = members.Count,
            ["basis"] = walkForward ? "each member alone on the walk-forward test blocks, chained" : "each member's final fit on its validation tail (no walk-forward ran)",
            ["members"] = new JsonArray([.. members.Select((m, k) => (JsonNode)new JsonObject
            {
                ["seed"] = m.Seed,
                ["sharpe"] = Num(sharpes[k]),
                ["fold_sharpe"] = walkForward ? new JsonArray([.. m.Folds!.Select(b => Num(PerformanceMetrics.Chain([b]).Sharpe))]) : null,
            })]),
            ["mean"] = finite.Length > 0 ? Num(ReturnStatistics.Mean(finite)) : null,
            ["sd"] = finite.Length > 1 ? Num(ReturnStatistics.StdDev(finite)) : null,
            ["min"] = finite.Length > 0 ? Num(finite.Min()) : null,
            ["max"] = finite.Length > 0 ? Num(finite.Max()) : null,
        };
    }

    private static JsonObject Deflated(BacktestResult[] blocks, CardProvenance provenance)
    {
        var r = ChainedReturns(blocks);
        var sharpe = ReturnStatistics.Sharpe(r);
        var trials = Math.Max(1, provenance.LedgerTrials);
        var value = double.IsFinite(sharpe) && r.Length >= 2
            ? DeflatedSharpe.Deflated(sharpe, r.Length, ReturnStatistics.Skewness(r), ReturnStatistics.Kurtosis(r), trials, provenance.TrialSharpeVariance)
            : double.NaN;
        return new JsonObject
        {
            ["value"] = Num(value),
            ["trials"] = trials,
            ["trial_sharpe_variance_per_bar"] = Significant(provenance.TrialSharpeVariance),
            ["sharpe_per_bar"] = Significant(sharpe),
            ["returns"] = r.Length,
            ["of"] = "the walk-forward test blocks chained, against the best of the trials by luck (Bailey and López de Prado 2014)",
        };
    }

    private static JsonObject Holdings(BacktestResult[] model, BacktestResult[] equal)
    {
        var (meanN, minN, meanMax, max, maxAsset, cash) = Profile(model);
        var (equalN, _, _, _, _, _) = Profile(equal);
        return new JsonObject
        {
            ["basis"] = "weights held at every bar's close on the walk-forward test blocks, as fractions of equity",
            ["mean_effective_n"] = Num(meanN),
            ["min_effective_n"] = Num(minN),
            ["mean_largest_weight"] = Num(meanMax),
            ["largest_weight"] = Num(max),
            ["largest_weight_asset"] = maxAsset,
            ["mean_cash"] = Num(cash),
            ["equal_weight_mean_effective_n"] = Num(equalN),
        };
    }

    /// <summary>
    /// Holdings over every bar of the blocks: effective N = (Σw)²/Σw² over the assets held (the quote cash excluded),
    /// the largest single weight, and the cash share 1 − Σw. Bars holding no asset are skipped for N.
    /// </summary>
    public static (double MeanEffectiveN, double MinEffectiveN, double MeanLargest, double Largest, string? LargestAsset, double MeanCash) Profile(IReadOnlyList<BacktestResult> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        double sumN = 0, minN = double.PositiveInfinity, sumMax = 0, max = 0, cash = 0;
        string? maxAsset = null;
        int nBars = 0, bars = 0;
        foreach (var b in blocks)
        {
            for (var t = 0; t < b.BarCount; t++)
            {
                var w = b.WeightsAt(t);
                double sum = 0, squares = 0, largest = 0;
                var largestAt = -1;
                for (var a = 0; a < w.Length; a++)
                {
                    sum += w[a];
                    squares += w[a] * w[a];
                    if (w[a] > largest)
                    {
                        (largest, largestAt) = (w[a], a);
                    }
                }

                bars++;
                cash += 1 - sum;
                sumMax += largest;
                if (largest > max)
                {
                    (max, maxAsset) = (largest, b.Assets[largestAt]);
                }

                if (squares > 0)
                {
                    var n = sum * sum / squares;
                    sumN += n;
                    minN = Math.Min(minN, n);
                    nBars++;
                }
            }
        }

        return (nBars > 0 ? sumN / nBars : double.NaN, nBars > 0 ? minN : double.NaN, bars > 0 ? sumMax / bars : double.NaN, max, maxAsset, bars > 0 ? cash / bars : double.NaN);
    }

    private static JsonArray Pair(double low, double high) => [Num(low), Num(high)];

    // Figures are rounded to 6 decimals (per-bar quantities to 9 significant digits), as the training record's metrics
    // are: the card is pinned by the model's hash, which should not move with the last bits of a backtest.
    private static JsonValue? Num(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;

    private static JsonValue? Significant(double value) =>
        double.IsFinite(value) ? JsonValue.Create(double.Parse(value.ToString("G9", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)) : null;

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
