using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Predictive.Core.Features;
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
        data.Subcommands.Add(Features(context));
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

    /// <summary>
    /// <c>data features</c>: builds the default feature frame of a panel and prints its SHA-256, so two machines (or two
    /// runtime settings, such as <c>DOTNET_EnableAVX512F=0</c>) can be shown to compute the same features bit for bit.
    /// </summary>
    private static Command Features(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "A market data file, or 'synthetic'.", DefaultValueFactory = _ => DataSources.Synthetic };
        var seed = new Option<int>("--seed") { Description = "Seed for the synthetic market.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: bars, assets, features, sha256." };
        var cmd = new Command("features", "Build the default feature frame (the bulk builder training uses) and print its SHA-256.") { path, seed, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var panel = await DataSources.LoadAsync(parse.GetValue(path)!, parse.GetValue(seed), ct).ConfigureAwait(false);
            var spec = DataSources.DefaultSpec(panel);
            var frame = FeatureBuilder.Build(panel, spec);
            var result = new FeaturesResult(frame.BarCount, frame.AssetCount, frame.FeatureCount, FrameSha256(frame));
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, result).ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"{result.Bars} bars × {result.Assets} assets × {result.Features} features, sha256 {result.Sha256}").ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    /// <summary>SHA-256 of the frame's values (IEEE-754 bits, little-endian, [bar, asset, feature]) then its availability mask.</summary>
    internal static string FrameSha256(FeatureFrame frame)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(frame.Values));
        for (var bar = 0; bar < frame.BarCount; bar++)
        {
            hash.AppendData(MemoryMarshal.AsBytes(frame.Availability(bar)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The stable JSON shape of <c>data features --json</c>.</summary>
    public sealed record FeaturesResult(
        [property: JsonPropertyName("bars")] int Bars,
        [property: JsonPropertyName("assets")] int Assets,
        [property: JsonPropertyName("features")] int Features,
        [property: JsonPropertyName("sha256")] string Sha256);

    /// <summary>The stable JSON shape of <c>data inspect --json</c>.</summary>
    public sealed record InspectResult(
        [property: JsonPropertyName("assets")] IReadOnlyList<string> Assets,
        [property: JsonPropertyName("bars")] int Bars,
        [property: JsonPropertyName("start")] string? Start,
        [property: JsonPropertyName("end")] string? End,
        [property: JsonPropertyName("interval")] string Interval);
}
