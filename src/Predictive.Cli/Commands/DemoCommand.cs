using System.CommandLine;
using System.Globalization;
using Predictive.Core.Allocation;
using Predictive.Core.Features;
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
        var cmd = new Command("demo", "Run the synthetic market through features and every allocator (the main job on embedded defaults).") { seed, assets, bars };
        cmd.SetAction((parse, ct) => RunAsync(context, parse.GetValue(seed), parse.GetValue(assets), parse.GetValue(bars), ct));
        return cmd;
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
