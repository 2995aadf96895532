using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Predictive.Core.Allocation;

namespace Predictive.Cli.Commands;

/// <summary><c>predictive allocate</c>: target weights from one allocator at one bar.</summary>
public static class AllocateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A market data file, or 'synthetic'.", DefaultValueFactory = _ => DataSources.Synthetic };
        var allocator = new Option<string>("--allocator") { Description = $"One of: {string.Join(", ", Allocators.Names)}, or an ONNX model directory (model.onnx + model.json), as in compare.", Required = true };
        var at = new Option<string?>("--at") { Description = "Allocate at the last bar at or before this ISO-8601 time (default: the last bar)." };
        var maxWeight = new Option<double>("--max-weight") { Description = "Cap on any one weight, in (0, 1] (classical allocators; a model's cap is built into it).", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic market.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: allocator, at, weights." };
        var cmd = new Command("allocate", "Compute target weights with a classical allocator or an ONNX model.") { data, allocator, at, maxWeight, seed, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(allocator)!;
            var cap = parse.GetValue(maxWeight);
            if (cap != 1.0 && ComparedModels.IsModelDirectory(name))
            {
                throw new CliException($"--max-weight applies to the classical allocators; the model in '{name}' has its cap built in (train --max-weight).");
            }

            var options = new AllocatorOptions { MaxWeight = cap };
            var panel = await DataSources.LoadAsync(parse.GetValue(data)!, parse.GetValue(seed), ct).ConfigureAwait(false);
            var classicalSpec = DataSources.DefaultSpec(panel);
            using var models = new ComparedModels(context.Time);
            var (impl, spec) = models.Resolve(name, panel.Assets, classicalSpec, options);
            var snapshot = MarketSnapshot.At(panel, ParseTime(parse.GetValue(at)), spec);
            var weights = impl.Allocate(snapshot.Input);
            var result = new AllocateResult(impl.Name, DataSources.Iso(snapshot.Time), panel.Assets.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => weights[p.i], StringComparer.Ordinal));
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, result).ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"{impl.Name} at {result.At}:").ConfigureAwait(false);
            foreach (var (symbol, w) in result.Weights.OrderByDescending(p => p.Value))
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {symbol,-8} {w,8:P2}")).ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>Parses an ISO-8601 time; a time without offset is taken as UTC.</summary>
    /// <exception cref="CliException">The text is not a date or time.</exception>
    public static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new CliException($"--at '{text}' is not an ISO-8601 date or time (for example 2024-01-31 or 2024-01-31T12:00:00Z).");
    }

    /// <summary>The stable JSON shape of <c>allocate --json</c>.</summary>
    public sealed record AllocateResult(
        [property: JsonPropertyName("allocator")] string Allocator,
        [property: JsonPropertyName("at")] string At,
        [property: JsonPropertyName("weights")] IReadOnlyDictionary<string, double> Weights);
}
