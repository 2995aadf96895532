using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Predictive.Training.Evaluation;

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
        var model = new Option<string>("--model") { Description = "eiie (asset-wise network), mlp (flattened baseline) or gbm (gradient-boosted trees).", Required = true };
        var output = new Option<string>("--out") { Description = "Directory for model.onnx and model.json.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed for the synthetic market and the learner.", DefaultValueFactory = _ => 42 };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs per fit (eiie, mlp); early stopping may end sooner. Default 30." };
        var name = new Option<string?>("--name") { Description = "Model name written to model.json (default: <kind>-allocator)." };
        var version = new Option<string?>("--version") { Description = "Model version written to model.json (default: last training date and seed)." };
        var json = new Option<bool>("--json") { Description = "Print the walk-forward summary as JSON." };
        var cmd = new Command("train", "Train an allocator on walk-forward folds, then export the final model to ONNX.")
        {
            data, model, output, seed, epochs, name, version, json,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var kind = parse.GetValue(model)!.ToLowerInvariant();
            if (!Kinds.Contains(kind))
            {
                throw new CliException($"--model '{kind}' is unknown; choose one of: {string.Join(", ", Kinds)}.");
            }

            var request = new ModelTraining.Request(
                kind,
                await DataSources.LoadAsync(parse.GetValue(data)!, parse.GetValue(seed), ct).ConfigureAwait(false),
                Path.GetFullPath(parse.GetValue(output)!),
                parse.GetValue(seed),
                parse.GetValue(epochs),
                parse.GetValue(name),
                parse.GetValue(version),
                "predictive " + string.Join(' ', parse.Tokens.Select(t => t.Value)));
            var started = context.Time.GetTimestamp();
            var summary = ModelTraining.Run(request, new TrainingProgressPrinter(context.Error, context.Time), ct);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, summary).ConfigureAwait(false);
                return 0;
            }

            await PrintAsync(context.Out, summary, context.Time.GetElapsedTime(started)).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static async Task PrintAsync(TextWriter w, TrainSummary s, TimeSpan elapsed)
    {
        await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Trained {s.Model} (seed {s.Seed}) in {elapsed.TotalSeconds:F1} s → {s.Artifact}")).ConfigureAwait(false);
        await w.WriteLineAsync($"  sha256 {s.Sha256}").ConfigureAwait(false);
        await w.WriteLineAsync("  walk-forward, out of sample, net of costs:").ConfigureAwait(false);
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
    }

    /// <summary>Prints one line per epoch (or fit) to stderr, so stdout stays clean for --json.</summary>
    private sealed class TrainingProgressPrinter(TextWriter error, TimeProvider time) : IProgress<string>
    {
        private readonly long _start = time.GetTimestamp();

        public void Report(string value) =>
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{time.GetElapsedTime(_start).TotalSeconds,6:F1}s] {value}"));
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
    [property: JsonPropertyName("equal_weight")] MetricsSummary? EqualWeight);

/// <summary>One walk-forward fold's out-of-sample result.</summary>
public sealed record FoldSummary(
    [property: JsonPropertyName("fold")] int Fold,
    [property: JsonPropertyName("test_range")] string TestRange,
    [property: JsonPropertyName("sharpe")] double Sharpe,
    [property: JsonPropertyName("turnover")] double Turnover,
    [property: JsonPropertyName("max_drawdown")] double MaxDrawdown);

/// <summary>Headline statistics: annualized Sharpe net of costs, mean turnover per bar, maximum drawdown.</summary>
public sealed record MetricsSummary(
    [property: JsonPropertyName("sharpe")] double Sharpe,
    [property: JsonPropertyName("turnover")] double Turnover,
    [property: JsonPropertyName("max_drawdown")] double MaxDrawdown)
{
    /// <summary>The summary of a backtest's metrics.</summary>
    public static MetricsSummary? From(PerformanceMetrics? m) => m is null ? null : new(m.Sharpe, m.Turnover, m.MaxDrawdown);
}
