using System.CommandLine;
using System.Globalization;
using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Research.Comparison;
using Predictive.Research.Reporting;
using Spectre.Console;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive compare</c>: backtests every allocator × policy pair on one market with the full cost model, prints a
/// leaderboard, and writes <c>results.json</c> and a self-contained <c>report.html</c> into the output folder.
/// </summary>
public static class CompareCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A market data file, or 'synthetic'.", DefaultValueFactory = _ => DataSources.Synthetic };
        var allocators = new Option<string>("--allocators") { Description = $"Comma-separated allocators: {string.Join(", ", Allocators.Names)}, or ONNX model directories (model.onnx + model.json).", DefaultValueFactory = _ => "equal" };
        var policies = new Option<string>("--policies") { Description = $"Comma-separated policies: {PolicySpec.Forms}.", DefaultValueFactory = _ => "calendar:21,band:0.05,cost-band,full" };
        var assets = new Option<string?>("--assets") { Description = "Comma-separated traded assets (default: every asset except the quote asset)." };
        var output = new Option<string>("--out") { Description = "Folder for results.json and report.html.", Required = true };
        var start = new Option<int>("--start-bar") { Description = "First backtest bar (earlier bars warm up features and risk).", DefaultValueFactory = _ => 90 };
        var initial = new Option<decimal>("--initial") { Description = "Starting portfolio value in quote units.", DefaultValueFactory = _ => 100_000m };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic market and of the bootstrap.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print the leaderboard as a JSON array (progress goes to stderr)." };
        var highlight = new Option<int>("--highlight") { Description = "How many of the best strategies by Sharpe the report's plots draw strong and label (the rest faint).", DefaultValueFactory = _ => Charts.DefaultHighlighted };
        var gasPrices = new Option<string?>("--gas-prices") { Description = $"A gas price history (timestamp,symbol,close; symbol {GasMarket.DefaultGasSymbol}, close in gwei, e.g. eth-gas-daily.csv): each bar pays the last completed day's average. Default: a constant {SwapCostOptions.Default.GasPriceGwei} gwei." };
        var cmd = new Command("compare", "Backtest every allocator × policy pair and compare them (leaderboard, results.json, report.html).")
        {
            data, allocators, policies, assets, output, start, initial, seed, json, gasPrices, highlight,
        };
        cmd.SetAction((parse, ct) => RunAsync(
            context,
            new Settings(parse.GetValue(data)!, parse.GetValue(allocators)!, parse.GetValue(policies)!, parse.GetValue(assets), parse.GetValue(output)!, parse.GetValue(start), parse.GetValue(initial), parse.GetValue(seed), parse.GetValue(json), parse.GetValue(gasPrices), parse.GetValue(highlight)),
            ct));
        return cmd;
    }

    internal sealed record Settings(string Data, string Allocators, string Policies, string? Assets, string Out, int StartBar, decimal Initial, int Seed, bool Json, string? GasPrices = null, int Highlight = Charts.DefaultHighlighted);

    internal static async Task<int> RunAsync(CliContext context, Settings s, CancellationToken ct)
    {
        // Check every name before loading anything, so a typo fails fast with the list of valid names.
        if (s.Highlight < 0)
        {
            throw new CliException($"--highlight {s.Highlight}: must be 0 or more.");
        }

        var allocatorNames = ParseAllocators(s.Allocators);
        var policySpecs = PolicySpec.ParseList(s.Policies);
        var panel = await DataSources.LoadAsync(s.Data, s.Seed, ct).ConfigureAwait(false);
        var traded = s.Assets?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var a in traded ?? [])
        {
            if (!panel.TryGetIndex(a, out _))
            {
                throw new CliException($"--assets: '{a}' is not in the data. Assets: {string.Join(", ", panel.Assets)}.");
            }
        }

        if (s.StartBar >= panel.BarCount - 2)
        {
            throw new CliException($"--start-bar {s.StartBar} leaves no bars to backtest; the data has {panel.BarCount} bars.");
        }

        // Warnings go to stderr and into the report: the gas history's coverage, then models trained in-sample.
        var warnings = new List<string>();
        var costs = SwapCostOptions.Default;
        var gasText = Inv($"{costs.GasPriceGwei} gwei");
        GasMarket? gas = null;
        if (s.GasPrices is { } gasFile)
        {
            (gas, gasText, var gasWarning) = await GasPriceHistory.LoadAsync(gasFile, costs, panel, ct).ConfigureAwait(false);
            if (gasWarning is not null)
            {
                warnings.Add(gasWarning);
            }
        }

        var market = new BacktestMarket(panel, traded, costs: costs, gas: gas);
        var assetPanel = market.AssetPanel();
        var spec = DataSources.DefaultSpec(assetPanel);
        var risk = new RiskEstimator();
        var backtester = new Backtester(market, new BacktestOptions { StartBar = s.StartBar, InitialValueQuote = s.Initial });

        // Classical allocators read the default features; an ONNX model reads the features of its own spec.
        using var models = new ComparedModels(context.Time);
        var frames = new Dictionary<string, FeatureFrame>(StringComparer.Ordinal);
        FeatureFrame FrameFor(FeatureSpec featureSpec)
        {
            var key = featureSpec.ToJson();
            if (!frames.TryGetValue(key, out var frame))
            {
                frame = FeatureBuilder.Build(assetPanel, featureSpec);
                frames.Add(key, frame);
            }

            return frame;
        }

        var strategies = new List<StrategySpec>();
        foreach (var name in allocatorNames)
        {
            var (allocator, featureSpec) = models.Resolve(name, market.Assets, spec);
            foreach (var policy in policySpecs)
            {
                strategies.Add(new StrategySpec(new AllocatorTargets(allocator, FrameFor(featureSpec), assetPanel, name == "equal" ? null : risk), policy));
            }
        }

        // Honest comparison: bars a model was trained on are in-sample for it, and say so.
        foreach (var (model, range) in models.TrainingRanges)
        {
            if (ComparedModels.RangeEnd(range) is { } end && end >= panel.Timestamps[s.StartBar])
            {
                warnings.Add($"{model} was trained on {range}, which overlaps the backtest from {DataSources.Iso(panel.Timestamps[s.StartBar])}: its results there are in-sample, not evidence of skill.");
            }
            else if (range is null)
            {
                warnings.Add($"{model} records no training range; check it was not trained on the backtest period.");
            }
        }

        foreach (var w in warnings)
        {
            await context.Error.WriteLineAsync($"warning: {w}").ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(s.Json ? context.Error : context.Out) });
        if (console.Profile.Width < 140)
        {
            // Redirected output has no terminal width; 140 columns keeps the leaderboard's columns whole.
            console.Profile.Width = 140;
        }

        IReadOnlyList<StrategyRun> runs = [];
        await console.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask($"backtesting {strategies.Count} strategies", maxValue: strategies.Count);
            runs = await ModelComparison.RunAsync(backtester, strategies, s.Seed, (done, _, name) =>
            {
                task.Description = $"{done}/{strategies.Count} {Markup.Escape(name)}";
                task.Value = done;
            }, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var ranked = runs.OrderByDescending(r => double.IsFinite(r.Score.Sharpe) ? r.Score.Sharpe : double.MinValue).ToList();
        var parameters = new ReportParameters
        {
            Data = Inv($"{(string.Equals(s.Data, DataSources.Synthetic, StringComparison.OrdinalIgnoreCase) ? $"synthetic market (seed {s.Seed})" : Path.GetFileName(s.Data))}, {market.Assets.Count} assets ({string.Join(", ", market.Assets)}), bars {s.StartBar}–{panel.BarCount - 1} ({DataSources.Iso(panel.Timestamps[s.StartBar])} to {DataSources.Iso(panel.Timestamps[panel.BarCount - 1])}); start value {s.Initial:N0} {market.QuoteAsset}"),
            Costs = Inv($"{market.CostModel.Options.PoolFeeBps} bps pool fee, constant-product impact at {market.VenueOptions.FixedDepthQuote:N0} quote depth per pool, {market.CostModel.Options.GasUnitsPerSwap:N0} gas per swap at {gasText}"),
            Allocators = allocatorNames,
            Policies = [.. policySpecs.Select(p => p.Name)],
            Seed = s.Seed,
            Command = ReproducingCommand(s),
            Warnings = warnings,
        };
        var (jsonPath, htmlPath) = await ComparisonReport.WriteAsync(s.Out, "Predictive: allocator × policy comparison", parameters, ranked, s.Highlight, ct).ConfigureAwait(false);
        if (s.Json)
        {
            await CliJson.WriteAsync(context.Out, ranked.Select(r => r.Score).ToArray()).ConfigureAwait(false);
            return 0;
        }

        var table = new Table().Title("Leaderboard (by Sharpe)");
        foreach (var h in new[] { "allocator", "policy", "Sharpe", "95% CI", "DSR", "Sortino", "CAGR", "max DD", "turnover", "costs", "TE", "trades" })
        {
            table.AddColumn(h);
        }

        foreach (var r in ranked.Select(r => r.Score))
        {
            table.AddRow(Markup.Escape(r.Allocator), Markup.Escape(r.Policy), Inv($"{r.Sharpe:F2}"), Markup.Escape(Inv($"[{r.SharpeCiLow:F2}, {r.SharpeCiHigh:F2}]")), Inv($"{r.DeflatedSharpe:F3}"), Inv($"{r.Sortino:F2}"), Inv($"{r.Cagr:P1}"), Inv($"{r.MaxDrawdown:P1}"), Inv($"{r.Turnover:F2}"), Inv($"{r.Costs:N0}"), Inv($"{r.TrackingError:P2}"), r.Trades.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.WriteLine($"wrote {jsonPath} and {htmlPath}");
        return 0;
    }

    /// <summary>The command line that runs this comparison again (every setting spelled out, defaults included).</summary>
    internal static string ReproducingCommand(Settings s)
    {
        var args = new List<string> { "predictive", "compare", "--data", s.Data, "--allocators", s.Allocators, "--policies", s.Policies };
        if (s.Assets is not null)
        {
            args.AddRange(["--assets", s.Assets]);
        }

        if (s.GasPrices is not null)
        {
            args.AddRange(["--gas-prices", s.GasPrices]);
        }

        if (s.Highlight != Charts.DefaultHighlighted)
        {
            args.AddRange(["--highlight", Inv($"{s.Highlight}")]);
        }

        args.AddRange(["--start-bar", Inv($"{s.StartBar}"), "--initial", Inv($"{s.Initial}"), "--seed", Inv($"{s.Seed}"), "--out", s.Out]);
        return string.Join(' ', args.Select(Quote));

        static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_.,:/=+@".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static string[] ParseAllocators(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new CliException($"--allocators is empty. Known allocators: {string.Join(", ", Allocators.Names)}.");
        }

        foreach (var name in names)
        {
            if (!ComparedModels.IsModelDirectory(name))
            {
                _ = Allocators.Create(name);
            }
        }

        return names;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
