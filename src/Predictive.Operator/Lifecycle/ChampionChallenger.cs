using System.Globalization;
using System.Text.Json;
using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Registry;
using Predictive.Operator.Options;
using Predictive.Operator.Storage;
using Predictive.Research.Comparison;
using Predictive.Research.Statistics;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// Champion against challenger on the most recent <see cref="EvaluationOptions.WindowBars"/> bars, which no challenger
/// trains or validates on. Both run through the project's comparison machinery (<see cref="Backtester"/> with the
/// default cost model and the configured policy, scored by <see cref="ModelComparison"/>); the decision is the
/// promotion rule of <see cref="Evaluation.Passes"/>.
/// </summary>
public sealed class ChampionChallenger(OperatorOptions options, ITrialLedger ledger, TimeProvider time)
{
    /// <summary>
    /// Evaluates <paramref name="challenger"/> against <paramref name="champion"/> (1/N when null); writes
    /// <c>results.json</c>, <c>report.html</c> and <c>evaluation.json</c> into <paramref name="reportDirectory"/>.
    /// </summary>
    /// <exception cref="EvaluationException">The challenger cannot be judged fairly (its training overlaps the window, or it does not load).</exception>
    /// <exception cref="InvalidOperationException">The champion's file on disk is not the one its authority recorded; nothing is judged.</exception>
    public async Task<Evaluation> EvaluateAsync(PricePanel panel, ChallengerRecord challenger, Champion? champion, string reportDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(challenger);
        var e = options.Evaluation;
        var market = new BacktestMarket(panel);
        var assetPanel = market.AssetPanel();
        var start = assetPanel.BarCount - e.WindowBars;
        if (start < 2)
        {
            throw new EvaluationException($"the data has {assetPanel.BarCount} bars, fewer than Evaluation:WindowBars={e.WindowBars}.");
        }

        var windowStart = assetPanel.Timestamps[start];
        var window = $"{Iso(windowStart)}/{Iso(assetPanel.End!.Value)}";
        CheckDisjoint(challenger, windowStart);

        var active = champion;
        if (active?.Key == challenger.Key)
        {
            throw new EvaluationException($"{challenger.Key} is already the active model.");
        }

        var models = new List<OnnxAllocatorModel>();
        try
        {
            var risk = new RiskEstimator();
            var frames = new Dictionary<string, FeatureFrame>(StringComparer.Ordinal);
            AllocatorTargets Targets(IAllocator allocator, FeatureSpec spec, bool needsRisk)
            {
                var key = spec.ToJson();
                if (!frames.TryGetValue(key, out var frame))
                {
                    frame = FeatureBuilder.Build(assetPanel, spec);
                    frames.Add(key, frame);
                }

                return new AllocatorTargets(allocator, frame, assetPanel, needsRisk ? risk : null);
            }

            AllocatorTargets championTargets;
            if (active is null)
            {
                championTargets = Targets(Allocators.Create("equal"), FeatureSpec.Default.Where(f => !f.UsesVolume), needsRisk: false);
            }
            else
            {
                var championModel = Load(active.Key, market.Assets);
                models.Add(championModel);
                if (!string.Equals(championModel.Sha256, active.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"the champion {active.Key} on disk has SHA-256 {championModel.Sha256}, but {active.Source} records {active.Sha256}; the models directory does not hold the champion, so nothing is judged.");
                }

                championTargets = Targets(new OnnxAllocator(championModel), championModel.FeatureSpec, needsRisk: true);
            }

            var challengerModel = Load(challenger.Key, market.Assets);
            models.Add(challengerModel);
            if (challengerModel.Sha256 != challenger.Sha256)
            {
                throw new EvaluationException($"{challenger.Key} on disk has SHA-256 {challengerModel.Sha256}, not the {challenger.Sha256} recorded when it was trained.");
            }

            var policy = PolicySpec.Parse(e.Policy);
            var backtester = new Backtester(market, new BacktestOptions { StartBar = start, InitialValueQuote = e.InitialValueQuote });
            var runs = await ModelComparison.RunAsync(
                backtester,
                [new StrategySpec(championTargets, policy), new StrategySpec(Targets(new OnnxAllocator(challengerModel), challengerModel.FeatureSpec, needsRisk: true), policy)],
                e.Seed,
                null,
                cancellationToken).ConfigureAwait(false);
            var championReturns = ReturnStatistics.Returns(runs[0].Result.Equity);
            var challengerReturns = ReturnStatistics.Returns(runs[1].Result.Equity);
            var barsPerYear = runs[1].Result.BarsPerYear;
            var bootstrap = new StationaryBootstrap(StationaryBootstrap.DefaultBlockLength(challengerReturns.Length), e.BootstrapResamples, e.Seed);
            var (low, high) = bootstrap.SharpeDifferenceInterval(challengerReturns, championReturns, barsPerYear, e.ConfidenceLevel);

            var trial = new TrialRecord(challenger.Key, "operator", window, ReturnStatistics.Sharpe(challengerReturns), challengerReturns.Length, ReturnStatistics.Skewness(challengerReturns), ReturnStatistics.Kurtosis(challengerReturns), time.GetUtcNow());
            var trials = await ledger.RecordAsync(trial, cancellationToken).ConfigureAwait(false);
            var deflated = Deflated(trial, trials);
            var promote = Evaluation.Passes(low, deflated, e.MinDeflatedSharpe);
            var championName = active?.Key ?? "equal";
            var evaluation = new Evaluation
            {
                Challenger = challenger.Key,
                ChallengerSha256 = challenger.Sha256,
                Champion = championName,
                ChampionSha256 = active?.Sha256,
                Window = window,
                ChallengerTrainedThrough = challenger.TrainedThrough,
                Policy = policy.Name,
                Observations = challengerReturns.Length,
                ChallengerSharpe = runs[1].Score.Sharpe,
                ChampionSharpe = runs[0].Score.Sharpe,
                DifferenceCiLow = low,
                DifferenceCiHigh = high,
                ConfidenceLevel = e.ConfidenceLevel,
                DeflatedSharpe = deflated,
                MinDeflatedSharpe = e.MinDeflatedSharpe,
                Trials = trials.Count,
                Bootstrap = string.Create(CultureInfo.InvariantCulture, $"stationary, paired, mean block {bootstrap.MeanBlockLength}, {e.BootstrapResamples} resamples, seed {e.Seed}"),
                Promote = promote,
                Reason = Reason(low, high, deflated, e, trials.Count),
                Report = Path.GetFullPath(Path.Combine(reportDirectory, "report.html")),
            };

            var parameters = new ReportParameters
            {
                Data = string.Create(CultureInfo.InvariantCulture, $"{window} ({challengerReturns.Length} returns, {market.Assets.Count} assets), disjoint from the challenger's training and validation (through {Iso(challenger.TrainedThrough)})"),
                Costs = string.Create(CultureInfo.InvariantCulture, $"{market.CostModel.Options.PoolFeeBps} bps pool fee, constant-product impact, {market.CostModel.Options.GasUnitsPerSwap:N0} gas per swap"),
                Allocators = [championName, challenger.Key],
                Policies = [policy.Name],
                Seed = e.Seed,
                Command = "the operator's EvaluateJob (predictive operator runs lists it)",
                Warnings = [string.Create(CultureInfo.InvariantCulture, $"Decision: {(promote ? "PROMOTE" : "KEEP the champion")}: {evaluation.Reason} The leaderboard's DSR column counts these two strategies only; the decision's deflated Sharpe counts every trial in the ledger.")],
            };
            await ComparisonReport.WriteAsync(reportDirectory, $"Predictive operator: {challenger.Key} against {championName}", parameters, runs, cancellationToken: cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(reportDirectory, "evaluation.json"), JsonSerializer.Serialize(evaluation, ComparisonReport.JsonOptions), cancellationToken).ConfigureAwait(false);
            return evaluation;
        }
        finally
        {
            foreach (var m in models)
            {
                m.Dispose();
            }
        }
    }

    /// <summary>
    /// The deflated Sharpe ratio of <paramref name="trial"/> with every ledger trial as the trials: N is their count and
    /// V[SR] the variance of their per-bar Sharpe ratios.
    /// </summary>
    public static double Deflated(TrialRecord trial, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(trials);
        if (!double.IsFinite(trial.SharpePerBar) || trial.Observations < 2)
        {
            return double.NaN;
        }

        var sharpes = trials.Select(t => t.SharpePerBar).Where(double.IsFinite).ToArray();
        var variance = sharpes.Length < 2 ? 0 : Math.Pow(ReturnStatistics.StdDev(sharpes), 2);
        return DeflatedSharpe.Deflated(trial.SharpePerBar, trial.Observations, trial.Skewness, trial.Kurtosis, Math.Max(1, trials.Count), variance);
    }

    private static string Reason(double low, double high, double deflated, EvaluationOptions e, int trials)
    {
        var ci = string.Create(CultureInfo.InvariantCulture, $"the {e.ConfidenceLevel:P0} interval of the Sharpe difference is [{low:F3}, {high:F3}]");
        var dsr = string.Create(CultureInfo.InvariantCulture, $"the deflated Sharpe over {trials} trial(s) is {deflated:F3} against the required {e.MinDeflatedSharpe:F3}");
        return (low > 0, deflated > e.MinDeflatedSharpe) switch
        {
            (true, true) => $"{ci}, above 0, and {dsr}.",
            (false, true) => $"{ci}, which does not lie above 0 ({dsr}).",
            (true, false) => $"{dsr}, not above it ({ci}).",
            _ => $"{ci}, which does not lie above 0, and {dsr}.",
        };
    }

    private static void CheckDisjoint(ChallengerRecord challenger, DateTimeOffset windowStart)
    {
        if (challenger.TrainedThrough >= windowStart)
        {
            throw new EvaluationException($"{challenger.Key} trained through {Iso(challenger.TrainedThrough)}, inside the window from {Iso(windowStart)}; it cannot be judged there.");
        }

        // The manifest's own record must say the same: its training range, and its validation range (torch networks
        // early-stop on one; gbm has none, and records how far its labels read instead), end before the window.
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(challenger.Directory, Onnx.Manifest.ModelManifest.FileName)));
        var kind = doc.RootElement.TryGetProperty("model_kind", out var k) ? k.GetString() : null;
        foreach (var property in kind == "gbm" ? new[] { "training_range", "labels_through" } : ["training_range", "validation_range"])
        {
            var text = doc.RootElement.TryGetProperty(property, out var range) ? range.GetString() : null;
            var end = text?.Split('/')[^1];
            if (end is null || !DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var endTime))
            {
                throw new EvaluationException($"{challenger.Key}'s model.json records no {property}; its overlap with the window cannot be checked.");
            }

            if (endTime >= windowStart)
            {
                throw new EvaluationException($"{challenger.Key}'s {property} ends {end}, inside the window from {Iso(windowStart)}.");
            }
        }
    }

    private OnnxAllocatorModel Load(string key, IReadOnlyList<string> assets)
    {
        var (name, version) = key.Split('/') is [var n, var v] ? (n, v) : throw new EvaluationException($"'{key}' is not name/version.");
        var (model, refusal) = ModelLoader.Load(Path.Combine(options.ModelsDirectory, name, version), name, version, time);
        if (model is null)
        {
            throw new EvaluationException($"{key} was refused at the {refusal!.Stage} check: {refusal.Reason}");
        }

        if (model.FixedAssets is { } fixedAssets && !fixedAssets.SequenceEqual(assets, StringComparer.Ordinal))
        {
            model.Dispose();
            throw new EvaluationException($"{key} was trained on [{string.Join(", ", fixedAssets)}] but the data trades [{string.Join(", ", assets)}].");
        }

        return model;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A challenger that cannot be judged fairly; it is rejected with this message.</summary>
public sealed class EvaluationException(string message) : Exception(message);
