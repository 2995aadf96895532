using System.CommandLine;
using System.Globalization;
using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Core.Numerics;
using Predictive.Core.Synthetic;
using Spectre.Console;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive demo</c>: the end-to-end run on embedded defaults. The synthetic market goes through the feature
/// builder and every classical allocator, and the result is printed as a table.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic market.", DefaultValueFactory = _ => 42 };
        var assets = new Option<int>("--assets") { Description = "Number of synthetic assets.", DefaultValueFactory = _ => 8 };
        var bars = new Option<int>("--bars") { Description = "Number of daily bars.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out") { Description = "Folder for the demo's model and comparison report.", DefaultValueFactory = _ => "predictive-demo" };
        var quick = new Option<bool>("--quick") { Description = "Only the allocator table: skip training and the comparison." };
        var cmd = new Command("demo", "End to end on the synthetic market: features and every allocator, a learned model trained and exported to ONNX, and a net-of-cost comparison with a report.")
        {
            seed, assets, bars, output, quick,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var s = parse.GetValue(seed);
            var n = parse.GetValue(bars);
            var exit = await RunAsync(context, s, parse.GetValue(assets), n, ct).ConfigureAwait(false);
            return exit != 0 || parse.GetValue(quick) ? exit : await LearnAndCompareAsync(context, s, parse.GetValue(assets), n, Path.GetFullPath(parse.GetValue(output)!), ct).ConfigureAwait(false);
        });
        return cmd;
    }

    /// <summary>
    /// Trains a small EIIE model on the first 60 % of the market, exports it to ONNX, and backtests it against the
    /// classical allocators on the remaining 40 % only, so every figure shown is out of sample and net of costs.
    /// </summary>
    private static async Task<int> LearnAndCompareAsync(CliContext context, int seed, int assetCount, int barCount, string outDir, CancellationToken ct)
    {
        var panel = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = seed, AssetCount = assetCount, Bars = barCount });
        var split = (int)(panel.BarCount * 0.6);
        var modelDir = Path.Combine(outDir, "model");
        await context.Out.WriteLineAsync($"\nTraining a small EIIE allocator on bars 0–{split - 1} ({DataSources.Iso(panel.Timestamps[0])} → {DataSources.Iso(panel.Timestamps[split - 1])}), exporting to {modelDir} …").ConfigureAwait(false);
        var training = ModelTraining.Run(
            new ModelTraining.Request("eiie", panel.Slice(0, split), modelDir, seed, 10, "demo", "1", $"predictive demo --seed {seed} --assets {assetCount} --bars {barCount}"),
            new SyncProgress<string>(line => context.Error.WriteLine("  " + line)),
            ct);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  model.onnx sha256 {training.Sha256[..16]}…; walk-forward inside the training period: Sharpe {training.Overall?.Sharpe:F2} vs 1/N {training.EqualWeight?.Sharpe:F2}")).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"\nComparing it with the classical allocators on bars {split}–{panel.BarCount - 1} only (out of sample), net of gas, fees and price impact …").ConfigureAwait(false);
        var compareDir = Path.Combine(outDir, "compare");
        var marketFile = Path.Combine(outDir, "market.csv");
        await MarketDataFile.WriteAsync(panel, marketFile, ct).ConfigureAwait(false);
        var settings = new CompareCommand.Settings(
            marketFile, $"equal,inverse-vol,risk-parity,min-variance,hrp,{modelDir}", "calendar:21,cost-band", null, compareDir, split, 100_000m, seed, Json: false);
        return await CompareCommand.RunAsync(context, settings, ct).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(CliContext context, int seed, int assetCount, int barCount, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out) });
        if (console.Profile.Width < 120 && (Console.IsOutputRedirected || context.Out != Console.Out))
        {
            // Redirected output has no terminal width; 120 columns keeps the table's headers whole.
            console.Profile.Width = 120;
        }

        var options = new SyntheticMarketOptions { Seed = seed, AssetCount = assetCount, Bars = barCount };
        options.Validate();

        var started = context.Time.GetTimestamp();
        var market = SyntheticMarket.GenerateWithRegimes(options);
        var panel = market.Panel;
        var regimeShare = market.Regimes.GroupBy(r => r).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key.ToString().ToLowerInvariant()} {g.Count() / (double)market.Regimes.Count:P0}"));
        console.MarkupLine($"[bold]Synthetic market[/] seed {seed}: {panel.AssetCount} assets × {panel.BarCount} {panel.Interval} bars, {DataSources.Iso(panel.Start!.Value)} → {DataSources.Iso(panel.End!.Value)}");
        console.MarkupLine($"  regimes: {string.Join(", ", regimeShare)}");

        ct.ThrowIfCancellationRequested();
        var snapshot = MarketSnapshot.At(panel, null);
        var input = snapshot.Input;
        console.MarkupLine($"[bold]Features[/] ({FeatureSpec.Default.FeatureNames.Count} per asset, no look-ahead): {string.Join(", ", FeatureSpec.Default.FeatureNames)}");
        var risk = input.Risk!;

        // One column per allocator, one row per asset: stays readable on an 80-column terminal.
        var weights = Allocators.Names.ToDictionary(n => n, n => Allocators.Create(n).Allocate(input), StringComparer.Ordinal);
        var table = new Table().Title($"Target weights at {DataSources.Iso(snapshot.Time)}").Border(TableBorder.Rounded);
        table.AddColumn("asset");
        foreach (var name in Allocators.Names)
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        string Pct(double x) => x.ToString("P1", CultureInfo.InvariantCulture);
        for (var a = 0; a < panel.AssetCount; a++)
        {
            table.AddRow([panel.Assets[a], .. Allocators.Names.Select(n => Pct(weights[n][a]))]);
        }

        table.AddEmptyRow();
        table.AddRow(["vol (ann.)", .. Allocators.Names.Select(n => Pct(Math.Sqrt(DenseMatrix.QuadraticForm(risk.Covariance, weights[n]) * panel.Interval.BarsPerYear)))]);
        table.AddRow(["effective N", .. Allocators.Names.Select(n => (1 / weights[n].Sum(x => x * x)).ToString("F2", CultureInfo.InvariantCulture))]);
        console.Write(table);
        var bestMean = Enumerable.Range(0, panel.AssetCount).Where(a => input.Available[a]).Max(a => risk.ExpectedReturns[a]);
        if (bestMean <= 0)
        {
            console.MarkupLine("[grey]max-sharpe: no asset's expected return beats the risk-free rate at this bar, so it holds the minimum-variance portfolio.[/]");
        }

        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Done in {context.Time.GetElapsedTime(started).TotalMilliseconds:F0} ms. Try: predictive allocate --data <file> --allocator risk-parity --json"));
        await context.Out.FlushAsync(ct).ConfigureAwait(false);
        return 0;
    }
}
