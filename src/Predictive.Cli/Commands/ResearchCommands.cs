using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Predictive.Training.Data;
using Predictive.Training.Pipeline;
using Predictive.Training.Study;
using Predictive.Training.Torch;

namespace Predictive.Cli.Commands;

/// <summary><c>predictive research</c>: studies of learned models (issue 22).</summary>
public static class ResearchCommands
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(CliContext context)
    {
        var research = new Command("research", "Studies of learned models: training variants across seeds, out of sample, against 1/N.");
        research.Subcommands.Add(Study(context));
        research.Subcommands.Add(Search(context));
        return research;
    }

    private static Command Search(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A market data file, or 'synthetic'.", DefaultValueFactory = _ => DataSources.Synthetic };
        var candidates = new Option<int>("--candidates") { Description = "How many configurations to draw at random from the space (0: all 288 on data with volume).", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed of the draw and of every training run.", DefaultValueFactory = _ => 42 };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs per fit (default 30)." };
        var database = new Option<string>("--db") { Description = "The trial ledger: the operator's SQLite database (created if absent).", DefaultValueFactory = _ => Path.Combine("operator-data", "operator.db") };
        var postgres = new Option<string?>("--postgres") { Description = "A clustered operator's PostgreSQL connection string (instead of --db)." };
        var output = new Option<string>("--out") { Description = "Directory for search.json and search.html.", Required = true };
        var cmd = new Command("search", "Random search over model kind, training cost, anchor, feature set, objective and hyperparameters with nested walk-forward (choose on inner folds, report on outer); every trial goes to the trial ledger and the pick's deflated Sharpe counts them all. The report gives bootstrap intervals, holdings, every classical allocator on the same blocks and the goal's verdict.")
        {
            data, candidates, seed, epochs, database, postgres, output,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var drawn = parse.GetValue(candidates);
            if (drawn < 0)
            {
                throw new CliException($"--candidates {drawn} must be 0 (all) or positive.");
            }

            var panel = await DataSources.LoadAsync(parse.GetValue(data)!, parse.GetValue(seed), ct).ConfigureAwait(false);
            var baseline = new TrainingOptions { Panel = panel, Epochs = parse.GetValue(epochs) ?? 30 };
            var options = new SearchOptions { Candidates = drawn == 0 ? null : drawn, Seed = parse.GetValue(seed) };
            TorchCpuKernels.EnsurePinned();
            var dataset = TrainingDataset.Create(panel, baseline.ResolveSpec());
            var started = context.Time.GetTimestamp();
            var result = NestedSearch.Run(dataset, NestedSearch.DefaultSpace(baseline), options, TrainCommand.StampedLines(context.Error, context.Time), ct);
            var elapsed = context.Time.GetElapsedTime(started);
            var verdict = await SearchLedger.RecordAsync(result, parse.GetValue(postgres), parse.GetValue(database)!, context.Time, ct).ConfigureAwait(false);
            var commandLine = "predictive " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            var dir = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(dir);
            var json = SearchReport.ToJson(result, verdict);
            json["elapsed_seconds"] = elapsed.TotalSeconds;
            json["trials_per_minute"] = result.Trials.Count / elapsed.TotalMinutes;
            json["command_line"] = commandLine;
            await File.WriteAllTextAsync(Path.Combine(dir, "search.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dir, "search.html"), SearchReport.ToHtml(result, verdict, commandLine), ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{result.Trials.Count} trials in {elapsed.TotalSeconds:F0} s ({result.Trials.Count / elapsed.TotalMinutes:F2} trials/min) → {dir}")).ConfigureAwait(false);
            foreach (var o in result.Outer)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  outer fold {o.Fold} {o.TestRange}: {o.Chosen} (inner {o.InnerSharpe:F3}) → outer Sharpe {o.Test.Sharpe:F3}, 1/N {o.EqualWeight.Sharpe:F3}")).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  outer overall Sharpe {result.Overall.Sharpe:F3} vs 1/N {result.EqualWeight.Sharpe:F3}; deflated Sharpe {verdict.DeflatedSharpe:F3} over {verdict.LedgerTrials} ledger trials")).ConfigureAwait(false);
            await context.Out.WriteLineAsync("  " + SearchReport.Goal(result, verdict).Statement).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static Command Study(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A market data file, or 'synthetic'.", DefaultValueFactory = _ => DataSources.Synthetic };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds; every variant is trained with each.", DefaultValueFactory = _ => "1,2,3,4,5" };
        var variants = new Option<string?>("--variants") { Description = "Comma-separated variant names (default: all of linear, pool, pool+penalty, pool+band, pool+tilt, pool+mvtilt)." };
        var classical = new Option<string>("--classical") { Description = "Classical allocators to run on the same blocks: a comma-separated list, 'all' or 'none'.", DefaultValueFactory = _ => "all" };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs per fit (default 30)." };
        var database = new Option<string?>("--db") { Description = "A trial ledger (the operator's SQLite database, created if absent): the study's seeds and ensembles are recorded there and each ensemble is deflated by every trial it holds. Without --db or --postgres the study deflates by its own trials only." };
        var postgres = new Option<string?>("--postgres") { Description = "A clustered operator's PostgreSQL connection string as the trial ledger (instead of --db)." };
        var output = new Option<string>("--out") { Description = "Directory for study.json and study.md.", Required = true };
        var cmd = new Command("study", "Train each variant with each seed on the walk-forward folds; report out-of-sample Sharpe (mean ± sd across seeds, ensemble of seeds, bootstrap intervals, holdings) against 1/N and every classical allocator, all through Core's backtester with the real costs, and the goal's verdict.")
        {
            data, seeds, variants, epochs, classical, database, postgres, output,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var seedList = ParseSeeds(parse.GetValue(seeds)!);
            var classicalNames = ParseClassical(parse.GetValue(classical)!);
            var panel = await DataSources.LoadAsync(parse.GetValue(data)!, seedList[0], ct).ConfigureAwait(false);
            var baseline = new TrainingOptions { Panel = panel, Epochs = parse.GetValue(epochs) ?? 30 };
            var all = OptionStudy.DefaultVariants(baseline);
            var chosen = Choose(all, parse.GetValue(variants));
            TorchCpuKernels.EnsurePinned();
            var dataset = TrainingDataset.Create(panel, baseline.ResolveSpec());
            var started = context.Time.GetTimestamp();
            var result = OptionStudy.Run(dataset, chosen, seedList, classicalNames, TrainCommand.StampedLines(context.Error, context.Time), ct);
            var elapsed = context.Time.GetElapsedTime(started);
            var ledgerPath = parse.GetValue(database);
            if (ledgerPath is not null || parse.GetValue(postgres) is not null)
            {
                result = await SearchLedger.RecordStudyAsync(result, $"epochs{baseline.Epochs}", parse.GetValue(postgres), ledgerPath ?? string.Empty, context.Time, ct).ConfigureAwait(false);
            }

            var dir = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(dir);
            var json = StudyReport.ToJson(result);
            json["seeds"] = JsonSerializer.SerializeToNode(seedList);
            json["epochs"] = baseline.Epochs;
            json["elapsed_seconds"] = elapsed.TotalSeconds;
            json["command_line"] = "predictive " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            await File.WriteAllTextAsync(Path.Combine(dir, "study.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct).ConfigureAwait(false);
            var table = StudyReport.ToMarkdown(result);
            await File.WriteAllTextAsync(Path.Combine(dir, "study.md"), table, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{chosen.Count} variants × {seedList.Count} seeds in {elapsed.TotalSeconds:F0} s → {dir}")).ConfigureAwait(false);
            await context.Out.WriteAsync(table).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static List<string> ParseClassical(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new CliException($"--classical is empty; give a comma-separated list of {string.Join(", ", Predictive.Core.Allocation.Allocators.Names)}, or 'all' / 'none'.");
        }

        if (trimmed.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return [.. Predictive.Core.Allocation.Allocators.Names];
        }

        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var names = trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = names.Where(n => !Predictive.Core.Allocation.Allocators.Names.Contains(n, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0 && names.Count > 0
            ? names
            : throw new CliException($"--classical '{value}': unknown allocator(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", Predictive.Core.Allocation.Allocators.Names)}, or 'all' / 'none'.");
    }

    private static List<int> ParseSeeds(string value)
    {
        var seeds = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            {
                throw new CliException($"--seeds: '{part}' is not an integer.");
            }

            seeds.Add(seed);
        }

        return seeds.Count > 0 && seeds.Distinct().Count() == seeds.Count
            ? seeds
            : throw new CliException($"--seeds '{value}' must list at least one seed, each once.");
    }

    private static List<StudyVariant> Choose(IReadOnlyList<StudyVariant> all, string? names)
    {
        if (names is null)
        {
            return [.. all];
        }

        var chosen = new List<StudyVariant>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            chosen.Add(all.FirstOrDefault(v => v.Name == name)
                ?? throw new CliException($"--variants: '{name}' is unknown; choose from {string.Join(", ", all.Select(v => v.Name))}."));
        }

        return chosen.Count > 0 ? chosen : throw new CliException("--variants lists no variant.");
    }
}
