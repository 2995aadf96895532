using System.CommandLine;
using System.Text.Json.Serialization;

namespace Predictive.Cli.Commands;

/// <summary><c>predictive data ...</c>: inspect and download market data.</summary>
public static class DataCommands
{
    /// <summary>Builds the <c>data</c> command and its subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Command("data", "Inspect, convert and download market data.");
        data.Subcommands.Add(Inspect(context));
        data.Subcommands.Add(DownloadCommand.Create(context));
        return data;
    }

    private static Command Inspect(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "A long CSV, Binance kline CSV/JSON or Parquet file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: assets, bars, start, end, interval." };
        var cmd = new Command("inspect", "Read a market data file and summarize its aligned panel.") { path, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(path)!;
            var panel = await DataSources.LoadAsync(file, 42, ct).ConfigureAwait(false);
            var summary = new InspectResult(
                [.. panel.Assets],
                panel.BarCount,
                panel.Start is { } s ? DataSources.Iso(s) : null,
                panel.End is { } e ? DataSources.Iso(e) : null,
                panel.Interval.ToString());
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, summary).ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"{file}: {panel.AssetCount} assets × {panel.BarCount} bars of {summary.Interval}, {summary.Start} → {summary.End}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"  fields: close{(panel.HasOhlc ? ", open, high, low" : "")}{(panel.HasVolume ? ", volume" : "")}").ConfigureAwait(false);
            for (var a = 0; a < panel.AssetCount; a++)
            {
                var close = panel.Close(a);
                var observed = panel.Observed(a);
                var first = close.IndexOfAnyExcept(double.NaN);
                var count = 0;
                foreach (var o in observed)
                {
                    count += o ? 1 : 0;
                }

                var since = first >= 0 ? DataSources.Iso(panel.Timestamps[first]) : "never";
                await context.Out.WriteLineAsync($"  {panel.Assets[a],-8} {count,7} bars observed, listed {since}").ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>The stable JSON shape of <c>data inspect --json</c>.</summary>
    public sealed record InspectResult(
        [property: JsonPropertyName("assets")] IReadOnlyList<string> Assets,
        [property: JsonPropertyName("bars")] int Bars,
        [property: JsonPropertyName("start")] string? Start,
        [property: JsonPropertyName("end")] string? End,
        [property: JsonPropertyName("interval")] string Interval);
}
