using System.CommandLine;
using System.Globalization;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Rpc;
using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive chain up|down</c>: a local anvil chain with the demo vault, for trying the keeper end to end.
/// <c>up</c> starts anvil in the background, deploys tokens, Uniswap V2 pools at the market's last prices and a funded
/// vault, and writes chain.json; <c>down</c> stops the anvil process recorded there.
/// </summary>
public static class ChainCommands
{
    /// <summary>The folder beside chain.json holding deployment and keeper state (journals, nonces, the run in progress).</summary>
    public const string StateFolder = ".predictive-chain";

    /// <summary>Builds the command group.</summary>
    public static Command Create(CliContext context)
    {
        var chain = new Command("chain", "Run a local EVM chain (anvil) with a demo vault.");
        chain.Subcommands.Add(Up(context));
        chain.Subcommands.Add(Down(context));
        chain.Subcommands.Add(ChainAdvanceCommand.Create(context));
        return chain;
    }

    private static Command Up(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8545 };
        var output = new Option<string>("--out") { Description = "Directory for chain.json and the anvil log.", DefaultValueFactory = _ => "." };
        var data = new Option<string>("--data") { Description = "Prices from this market data file's last bar, or 'synthetic'.", DefaultValueFactory = _ => DataSources.Synthetic };
        var assets = new Option<int>("--assets") { Description = "Number of assets (the data's first ones).", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic market.", DefaultValueFactory = _ => 42 };
        var contracts = new Option<string?>("--contracts") { Description = "Contract artifact cache (default: the user's local data folder)." };
        var json = new Option<bool>("--json") { Description = "Print chain.json's content as one JSON line (with --vaults N, the first vault's only; the others are in vaults/<i>/chain.json)." };
        var vaults = new Option<int>("--vaults")
        {
            Description = "Demo vaults to deploy, each with its own tokens and pools; the first's manifest is chain.json, vault i's is vaults/<i>/chain.json.",
            DefaultValueFactory = _ => 1,
        };
        var cmd = new Command("up", "Start anvil in the background and deploy tokens, pools and a funded demo vault.") { port, output, data, assets, seed, contracts, json, vaults };
        cmd.SetAction(async (parse, ct) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, LocalChainManifest.FileName);
            if (File.Exists(file) && LocalChainManifest.Load(file).Pid is { } running && AnvilProcess.IsAnvil(running))
            {
                throw new CliException($"A chain is already running for {file} (anvil pid {running}); run `predictive chain down --out {directory}` first.");
            }

            var count = parse.GetValue(assets);
            if (count < 1)
            {
                throw new CliException($"--assets must be at least 1 (got {count}).");
            }

            var vaultCount = parse.GetValue(vaults);
            if (vaultCount is < 1 or > 200)
            {
                throw new CliException($"--vaults must be between 1 and 200 (got {vaultCount}).");
            }

            var source = parse.GetValue(data)!;
            var prices = LastPrices(await DataSources.LoadAsync(source, parse.GetValue(seed), ct).ConfigureAwait(false), count, source);
            var state = Path.Combine(directory, StateFolder);
            foreach (var old in new[] { state, Path.Combine(directory, "vaults") }.Where(Directory.Exists))
            {
                Directory.Delete(old, recursive: true); // a new chain: old journals, nonces and vaults describe a chain that is gone
            }

            try
            {
                var artifacts = await ContractCompiler.CompileAsync(parse.GetValue(contracts) ?? ContractCompiler.DefaultCacheDirectory, ct).ConfigureAwait(false);
                var portNumber = parse.GetValue(port);
                var log = Path.Combine(directory, "anvil.log");
                var (pid, listening) = await AnvilProcess.StartAsync(portNumber, log, ct).ConfigureAwait(false);
                var rpc = new Uri($"http://127.0.0.1:{listening.ToString(CultureInfo.InvariantCulture)}/");
                try
                {
                    using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = rpc, AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2) });
                    var manifest = await LocalChainDeployer.DeployAsync(client, rpc, artifacts, new LocalChainSetup { Prices = prices }, state, ct).ConfigureAwait(false)
                        with { Pid = pid, LogFile = log, Data = source };
                    manifest.Save(file);
                    for (var i = 2; i <= vaultCount; i++)
                    {
                        // Every further vault has its own tokens, pools and feeds on the same node, and its own deployment state.
                        var folder = Path.Combine(directory, "vaults", i.ToString(CultureInfo.InvariantCulture));
                        var more = await LocalChainDeployer.DeployAsync(client, rpc, artifacts, new LocalChainSetup { Prices = prices }, Path.Combine(folder, StateFolder), ct).ConfigureAwait(false);
                        (more with { Pid = pid, LogFile = log, Data = source }).Save(Path.Combine(folder, LocalChainManifest.FileName));
                    }

                    if (parse.GetValue(json))
                    {
                        await context.Out.WriteLineAsync(File.ReadAllText(file).ReplaceLineEndings(string.Empty)).ConfigureAwait(false);
                    }
                    else
                    {
                        await context.Out.WriteLineAsync($"anvil running on {rpc} (pid {pid}); vault {manifest.Vault} holds {string.Join(", ", prices.Select(p => p.Key).Append(manifest.QuoteToken.Symbol))}{(vaultCount > 1 ? $"; {vaultCount - 1} more vault(s) in {Path.Combine(directory, "vaults")}" : "")}.").ConfigureAwait(false);
                        await context.Out.WriteLineAsync($"wrote {file}. Next: predictive rebalance --chain {file} --targets <file> --json; stop with: predictive chain down --out {directory}").ConfigureAwait(false);
                    }
                }
                catch
                {
                    AnvilProcess.Stop(pid); // never leave a half-deployed chain running
                    throw;
                }
            }
            catch (LocalChainException e)
            {
                throw new CliException(e.Message);
            }

            return 0;
        });
        return cmd;
    }

    private static Command Down(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Directory holding chain.json.", DefaultValueFactory = _ => "." };
        var cmd = new Command("down", "Stop the anvil process recorded in chain.json.") { output };
        cmd.SetAction(async (parse, ct) =>
        {
            var file = Path.Combine(Path.GetFullPath(parse.GetValue(output)!), LocalChainManifest.FileName);
            var manifest = LocalChainManifest.Load(file);
            if (manifest.Pid is not { } pid || !AnvilProcess.Stop(pid))
            {
                await context.Out.WriteLineAsync($"no anvil is running for {file} (recorded pid {manifest.Pid?.ToString(CultureInfo.InvariantCulture) ?? "none"}); nothing to stop.").ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"stopped anvil (pid {pid}) for {file}.").ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static List<KeyValuePair<string, decimal>> LastPrices(PricePanel panel, int count, string source)
    {
        // The synthetic market's names in its own order (BTC, ETH, SOL, BNB, …) come first, then the data's other assets
        // (a panel lists its assets alphabetically).
        var order = SyntheticMarketOptions.DefaultSymbols.Where(s => panel.TryGetIndex(s, out _)).Select(panel.IndexOf)
            .Concat(Enumerable.Range(0, panel.AssetCount)).Distinct();
        var prices = new List<KeyValuePair<string, decimal>>();
        foreach (var a in order)
        {
            if (prices.Count == count)
            {
                break;
            }

            var close = panel.Close(a);
            for (var t = close.Length - 1; t >= 0; t--)
            {
                if (double.IsFinite(close[t]) && close[t] > 0)
                {
                    prices.Add(new(panel.Assets[a], (decimal)close[t]));
                    break;
                }
            }
        }

        return prices.Count == count
            ? prices
            : throw new CliException($"{source} has {prices.Count} asset(s) with a price; --assets asks for {count}.");
    }
}
