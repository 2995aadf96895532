using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Running;
using Predictive.Keeper.Store;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive keeper bench --service URL</c>: the keeper's measures on a fresh anvil chain. A synthetic market of
/// 35-minute bars (the local chain's advance step, inside the feeds' one-hour heartbeat) whose bar at the chain's start
/// seeds N demo vaults; then, as asked: latency (tick → first signed swap over many real passes of one vault),
/// throughput (one pass of every vault, vaults per minute), and shadow mode over simulated hours (the chain advanced
/// bar by bar, one dry-run pass per bar), with decisions, trades and refusals by reason.
/// </summary>
public static class KeeperBenchCommand
{
    private static readonly TimeSpan Bar = TimeSpan.FromMinutes(35);

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var service = new Option<string>("--service") { Description = "The running targets service's base URL.", Required = true };
        var output = new Option<string>("--out") { Description = "Work directory (chain, keeper.json, store, market data).", DefaultValueFactory = _ => "keeper-bench" };
        var vaults = new Option<int>("--vaults") { Description = "Vaults deployed (throughput uses all of them).", DefaultValueFactory = _ => 1 };
        var passes = new Option<int>("--passes") { Description = "Real passes of the first vault for the latency measure (0: skip).", DefaultValueFactory = _ => 100 };
        var hours = new Option<int>("--shadow-hours") { Description = "Simulated hours of shadow mode, bar by bar (0: skip).", DefaultValueFactory = _ => 24 };
        var contracts = new Option<string?>("--contracts") { Description = "Contract artifact cache (default: the user's local data folder)." };
        var cmd = new Command("bench", "Measure the keeper on a fresh local chain: latency, throughput, shadow mode.") { service, output, vaults, passes, hours, contracts };
        cmd.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(vaults);
            if (n < 1 || parse.GetValue(passes) < 0 || parse.GetValue(hours) < 0)
            {
                throw new CliException("--vaults must be at least 1, --passes and --shadow-hours at least 0.");
            }

            var directory = Path.GetFullPath(parse.GetValue(output)!);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            var artifacts = await ContractCompiler.CompileAsync(parse.GetValue(contracts) ?? ContractCompiler.DefaultCacheDirectory, ct).ConfigureAwait(false);
            var (pid, port) = await AnvilProcess.StartAsync(0, Path.Combine(directory, "anvil.log"), ct).ConfigureAwait(false);
            try
            {
                var rpc = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
                using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = rpc, AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2) });
                var head = await client.GetLatestTimestampAsync(ct).ConfigureAwait(false);
                // Bar 400 of the market is the chain's start: 400 bars of history behind it, the rest revealed as the chain advances.
                const int StartBar = 400;
                var panel = SyntheticMarket.Generate(Market(head - (Bar * StartBar), StartBar + 300));
                var market = Path.Combine(directory, "market.csv");
                await using (var file = File.Create(market))
                {
                    LongCsvWriter.Write(panel, file);
                }

                var setupWatch = Stopwatch.StartNew();
                var chains = new List<string>();
                for (var i = 0; i < n; i++)
                {
                    var dir = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"vault{i:D2}"));
                    var manifest = await LocalChainDeployer.DeployAsync(client, rpc, artifacts, new LocalChainSetup { Prices = PricesAt(panel, StartBar) }, Path.Combine(dir, ChainCommands.StateFolder), ct).ConfigureAwait(false);
                    var chainFile = Path.Combine(dir, LocalChainManifest.FileName);
                    (manifest with { Data = market }).Save(chainFile);
                    chains.Add(chainFile);
                }

                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"deployed {n} vault(s) in {setupWatch.Elapsed.TotalSeconds:F1} s")).ConfigureAwait(false);
                var summary = new Dictionary<string, object?> { ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}", ["vaults"] = n };
                var serviceUrl = parse.GetValue(service)!;
                if (n > 1)
                {
                    var watch = Stopwatch.StartNew();
                    var records = await RunAsync(context, directory, "throughput", serviceUrl, chains, market, "full", 3600, 1, false, ct).ConfigureAwait(false);
                    summary["throughput"] = new { passes = records.Count, seconds = watch.Elapsed.TotalSeconds, vaultsPerMinute = records.Count / watch.Elapsed.TotalMinutes, outcomes = Outcomes(records) };
                }

                using var bar = new BarClock(panel, StartBar, client, artifacts, LocalChainManifest.Load(chains[0]), directory, context.Time);
                if (parse.GetValue(passes) > 0)
                {
                    // Each pass follows a bar's move of pools and feeds, so the full policy has something to trade every time.
                    var records = await BarByBarAsync(context, directory, "latency", serviceUrl, chains[0], market, "full", bar, parse.GetValue(passes), dryRun: false, ct).ConfigureAwait(false);
                    summary["latency"] = Latency(records);
                }

                if (parse.GetValue(hours) > 0)
                {
                    var bars = (int)Math.Ceiling(TimeSpan.FromHours(parse.GetValue(hours)) / Bar);
                    var records = await BarByBarAsync(context, directory, "shadow", serviceUrl, chains[0], market, "cost-aware", bar, bars, dryRun: true, ct).ConfigureAwait(false);
                    summary["shadow"] = new
                    {
                        simulatedHours = parse.GetValue(hours), bars = records.Count, barMinutes = Bar.TotalMinutes, decisions = records.Count,
                        trades = records.Count(r => r.Outcome == "trade"), swaps = records.Sum(r => r.Swaps.Count), outcomes = Outcomes(records),
                    };
                }

                await CliJson.WriteAsync(context.Out, summary).ConfigureAwait(false);
                return 0;
            }
            finally
            {
                AnvilProcess.Stop(pid);
            }
        });
        return cmd;
    }

    /// <summary>For each of <paramref name="bars"/> bars: the chain advanced to the bar's prices, then one pass of the vault.</summary>
    private static async Task<List<DecisionRecord>> BarByBarAsync(
        CliContext context, string directory, string name, string serviceUrl, string chainFile, string market, string policy, BarClock clock, int bars, bool dryRun, CancellationToken ct)
    {
        var (runner, _, http) = await RunnerAsync(context, directory, name, serviceUrl, [chainFile], market, policy, (int)Bar.TotalSeconds).ConfigureAwait(false);
        var records = new List<DecisionRecord>();
        using (http)
        using (runner)
        {
            for (var b = 0; b < bars && await clock.AdvanceAsync(ct).ConfigureAwait(false); b++)
            {
                records.Add((await runner.PassAsync(runner.Passes[0], dryRun, ct).ConfigureAwait(false))!);
            }
        }

        return records;
    }

    /// <summary>Moves the first vault's pools and feeds to the market's next bar, letting one bar of chain time pass.</summary>
    private sealed class BarClock(PricePanel panel, int bar, EvmRpcClient client, Chain.Contracts.ContractArtifacts artifacts, LocalChainManifest manifest, string directory, TimeProvider time) : IDisposable
    {
        private readonly TransactionManager _owner = new(
            client, AnvilDevAccounts.Owner, ExecutionJournal.Open(Path.Combine(directory, "bench-owner.journal.jsonl")),
            new TransactionManagerOptions { PollInterval = TimeSpan.FromMilliseconds(25), MaxFeePerGasCapGwei = 1_000m }, time);

        private int _bar = bar;

        public async Task<bool> AdvanceAsync(CancellationToken ct)
        {
            if (_bar + 1 >= panel.BarCount)
            {
                return false;
            }

            _bar++;
            var prices = PricesAt(panel, _bar).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            await new LocalChainAdvancer(_owner, artifacts, manifest).AdvanceAsync(string.Create(CultureInfo.InvariantCulture, $"bar{_bar}"), prices, Bar, ct).ConfigureAwait(false);
            return true;
        }

        public void Dispose() => _owner.Dispose();
    }

    private static async Task<List<DecisionRecord>> RunAsync(
        CliContext context, string directory, string name, string serviceUrl, IEnumerable<string> chains, string market, string policy, int interval, int rounds, bool dryRun, CancellationToken ct)
    {
        var (runner, store, http) = await RunnerAsync(context, directory, name, serviceUrl, chains, market, policy, interval).ConfigureAwait(false);
        using (http)
        using (runner)
        {
            await runner.RunAsync(dryRun, rounds, ct).ConfigureAwait(false);
        }

        return [.. await store.ReadDecisionsAsync(null, 100_000, ct).ConfigureAwait(false)];
    }

    private static async Task<(KeeperRunner Runner, SqliteKeeperStore Store, HttpClient Http)> RunnerAsync(
        CliContext context, string directory, string name, string serviceUrl, IEnumerable<string> chains, string market, string policy, int interval)
    {
        var config = Path.Combine(directory, $"keeper-{name}.json");
        var vaults = chains.Select((c, i) => new
        {
            name = string.Create(CultureInfo.InvariantCulture, $"v{i:D2}"), chain = c, chainId = LocalChainManifest.Load(c).ChainId, vault = LocalChainManifest.Load(c).Vault,
            policy, intervalSeconds = interval, marketData = new { source = market },
        });
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { serviceUrl, key = new { dev = true }, store = $"store-{name}/keeper.db", leaseSeconds = 600, vaults })).ConfigureAwait(false);
        var settings = KeeperConfigLoader.Load(config);
        var store = await SqliteKeeperStore.OpenAsync(settings.StorePath).ConfigureAwait(false);
        var http = new HttpClient { BaseAddress = settings.ServiceUrl!, Timeout = TimeSpan.FromSeconds(60) };
        var runner = new KeeperRunner(settings, store, AnvilDevAccounts.Keeper, http, new JsonLineLog(TextWriter.Null, context.Time), null, $"bench-{name}", context.Time);
        return (runner, store, http);
    }

    private static object Latency(List<DecisionRecord> records)
    {
        var signed = records.Where(r => r.FirstSignedMs is not null).Select(r => r.FirstSignedMs!.Value).Order().ToList();
        var all = records.Select(r => r.DurationMs).Order().ToList();
        return new
        {
            passes = records.Count, signedPasses = signed.Count, firstSignedMedianMs = Quantile(signed, 0.5), firstSignedP99Ms = Quantile(signed, 0.99),
            passMedianMs = Quantile(all, 0.5), passP99Ms = Quantile(all, 0.99), outcomes = Outcomes(records),
        };
    }

    private static Dictionary<string, int> Outcomes(IEnumerable<DecisionRecord> records) =>
        records.GroupBy(r => $"{r.Outcome}:{r.Reason}", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The nearest-rank quantile of sorted values (null when empty).</summary>
    private static double? Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)], 1);

    /// <summary>The synthetic market at 35-minute bars: each regime's daily drift and volatility scaled to the bar (√t for volatility).</summary>
    private static SyntheticMarketOptions Market(DateTimeOffset start, int bars)
    {
        var d = new SyntheticMarketOptions();
        var k = Bar / TimeSpan.FromDays(1);
        RegimeParameters Scale(RegimeParameters r) => r with { Drift = r.Drift * k, Volatility = r.Volatility * Math.Sqrt(k) };
        return d with
        {
            Seed = 42, AssetCount = 4, Bars = bars, Interval = new BarInterval(Bar), Start = start, Calm = Scale(d.Calm), Trending = Scale(d.Trending), Crash = Scale(d.Crash),
        };
    }

    private static List<KeyValuePair<string, decimal>> PricesAt(PricePanel panel, int bar) =>
        [.. panel.Assets.Select((a, i) => new KeyValuePair<string, decimal>(a, Math.Round((decimal)panel.Close(i)[bar], 6)))];
}
