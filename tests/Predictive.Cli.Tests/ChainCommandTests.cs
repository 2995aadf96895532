using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Rpc;
using Predictive.Tests.Shared;

namespace Predictive.Cli.Tests;

[TestClass]
public sealed class ChainCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "predictive-cli-chain", Guid.NewGuid().ToString("N"));

    public ChainCommandTests() => Directory.CreateDirectory(_directory);

    private string ChainFile => Path.Combine(_directory, LocalChainManifest.FileName);

    [TestMethod]
    public async Task ChainUpRebalanceChainDown_Targets_TradesToTargetAndStopsAnvil()
    {
        var up = await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory);
        Assert.AreEqual(0, up.Exit, up.Err);
        using var manifest = JsonDocument.Parse(File.ReadAllText(ChainFile));
        var root = manifest.RootElement;
        foreach (var field in new[] { "rpcUrl", "chainId", "vault", "router", "owner", "keeper", "quoteToken", "assets", "pid" })
        {
            Assert.IsTrue(root.TryGetProperty(field, out _), $"chain.json lacks {field}");
        }

        var symbols = string.Join(",", root.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("symbol").GetString()));
        foreach (var token in root.GetProperty("assets").EnumerateArray().Append(root.GetProperty("quoteToken")))
        {
            Assert.StartsWith("0x", token.GetProperty("feed").GetString()!, "chain up deploys one price feed per token");
        }

        Assert.AreEqual("BTC,ETH,SOL,BNB", symbols, "the synthetic market's first four symbols");
        Assert.IsTrue(AnvilProcess.IsAnvil(root.GetProperty("pid").GetInt32()));
        var targets = WriteTargets("""{"weights":{"BTC":0.4,"ETH":0.3,"SOL":0.05,"BNB":0.15,"USDC":0.1}}""");

        var rebalance = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", targets, "--policy", "full", "--json");

        Assert.AreEqual(0, rebalance.Exit, rebalance.Err);
        using var result = JsonDocument.Parse(rebalance.Out);
        var decision = result.RootElement.GetProperty("decision");
        Assert.IsTrue(decision.GetProperty("trade").GetBoolean());
        Assert.IsFalse(string.IsNullOrEmpty(decision.GetProperty("explanation").GetString()));
        var swaps = result.RootElement.GetProperty("swaps").EnumerateArray().ToList();
        Assert.IsGreaterThanOrEqualTo(4, swaps.Count);
        foreach (var swap in swaps)
        {
            Assert.StartsWith("0x", swap.GetProperty("txHash").GetString()!);
            Assert.IsGreaterThan(0L, swap.GetProperty("gasUsed").GetInt64());
        }

        Assert.AreEqual(0.4, result.RootElement.GetProperty("weightsAfter").GetProperty("BTC").GetDouble(), 0.005);
        Assert.AreEqual(0.1, result.RootElement.GetProperty("weightsAfter").GetProperty("USDC").GetDouble(), 0.005);

        var down = await CliRunner.RunAsync("chain", "down", "--out", _directory);
        Assert.AreEqual(0, down.Exit, down.Err);
        Assert.Contains("stopped anvil", down.Out);
        Assert.IsFalse(AnvilProcess.IsAnvil(root.GetProperty("pid").GetInt32()));
    }

    [TestMethod]
    public async Task Rebalance_FeedsOlderThanHeartbeat_NoTradeNamingEachStaleFeedUntilChainAdvanceRefreshesThem()
    {
        var up = await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory);
        Assert.AreEqual(0, up.Exit, up.Err);
        var manifest = LocalChainManifest.Load(ChainFile);
        using (var client = new EvmRpcClient(new RpcClientOptions { Endpoint = new Uri(manifest.RpcUrl) }))
        {
            await client.RequestAsync("evm_increaseTime", [7_200L]);
            await client.RequestAsync("evm_mine", []);
        }

        var targets = WriteTargets("""{"weights":{"BTC":0.4,"ETH":0.3,"SOL":0.05,"BNB":0.15,"USDC":0.1}}""");

        var rebalance = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", targets, "--json");

        Assert.AreEqual(0, rebalance.Exit, rebalance.Err);
        using var result = JsonDocument.Parse(rebalance.Out);
        var decision = result.RootElement.GetProperty("decision");
        Assert.IsFalse(decision.GetProperty("trade").GetBoolean());
        Assert.AreEqual("GuardFired", decision.GetProperty("reason").GetString());
        var oracle = result.RootElement.GetProperty("guards").EnumerateArray().Single(g => g.GetProperty("guard").GetString() == "oracle");
        Assert.IsTrue(oracle.GetProperty("fired").GetBoolean());
        var detail = oracle.GetProperty("detail").GetString()!;
        foreach (var token in manifest.Assets.Append(manifest.QuoteToken))
        {
            Assert.Contains($"{token.Symbol} feed {token.Feed} stale: ", detail);
        }

        Assert.AreEqual(5.0, oracle.GetProperty("value").GetDouble(), "one fault per feed: four assets and the quote token");
        StringAssert.Contains(decision.GetProperty("explanation").GetString(), "blocked by guard (oracle: ");
        Assert.AreEqual(0, result.RootElement.GetProperty("swaps").GetArrayLength());

        var next = Path.Combine(_directory, "bar.json");
        File.WriteAllText(next, JsonSerializer.Serialize(new { prices = manifest.Assets.ToDictionary(a => a.Symbol, a => a.Price!.Value * 1.01m) }));
        var advance = await CliRunner.RunAsync("chain", "advance", "--out", _directory, "--prices", next);
        Assert.AreEqual(0, advance.Exit, advance.Err);
        var again = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", targets, "--json");
        Assert.AreEqual(0, again.Exit, again.Err);
        using var traded = JsonDocument.Parse(again.Out);
        Assert.IsTrue(traded.RootElement.GetProperty("decision").GetProperty("trade").GetBoolean(), again.Out);
        Assert.IsGreaterThanOrEqualTo(4, traded.RootElement.GetProperty("swaps").GetArrayLength());
    }

    [TestMethod]
    public async Task Rebalance_DefaultPolicy_RunsCostAwareBandAndPrintsEveryGuardsResult()
    {
        var up = await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory);
        Assert.AreEqual(0, up.Exit, up.Err);
        var targets = WriteTargets("""{"weights":{"BTC":0.4,"ETH":0.3,"SOL":0.05,"BNB":0.15,"USDC":0.1}}""");

        var text = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", targets, "--dry-run");
        var json = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", targets, "--dry-run", "--json");

        Assert.AreEqual(0, text.Exit, text.Err);
        Assert.StartsWith("bar 0, cost-aware:", text.Out);
        foreach (var guard in new[] { "oracle", "liquidity", "price-deviation", "volatility", "gas-net-benefit" })
        {
            Assert.Contains($"guard {guard}: passed — ", text.Out);
        }

        Assert.AreEqual(0, json.Exit, json.Err);
        using var result = JsonDocument.Parse(json.Out);
        Assert.AreEqual("cost-aware", result.RootElement.GetProperty("decision").GetProperty("policy").GetString());
        var guards = result.RootElement.GetProperty("guards").EnumerateArray().Select(g => (g.GetProperty("guard").GetString(), g.GetProperty("fired").GetBoolean())).ToList();
        CollectionAssert.AreEqual(new[] { ("oracle", false), ("liquidity", false), ("price-deviation", false), ("volatility", false), ("gas-net-benefit", false) }, guards);
        Assert.AreEqual(0, result.RootElement.GetProperty("bar").GetInt32(), "a dry run does not advance the keeper's bar");
    }

    [TestMethod]
    public async Task Rebalance_ModelDirectoryDryRun_DecidesFromTheModelsWeightsAndSendsNothing()
    {
        // The repository's default model package (written by training); copied so a concurrent retrain cannot change it mid-test.
        var source = RepositoryPaths.Combine("models", "default", "1");
        Assert.IsTrue(File.Exists(Path.Combine(source, "model.json")), $"the committed default model package is missing from {source}");

        var model = Path.Combine(_directory, "model");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        var up = await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory);
        Assert.AreEqual(0, up.Exit, up.Err);

        var run = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--model", model, "--dry-run", "--json");

        Assert.AreEqual(0, run.Exit, run.Err);
        using var result = JsonDocument.Parse(run.Out);
        Assert.IsTrue(result.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.IsFalse(string.IsNullOrEmpty(result.RootElement.GetProperty("decision").GetProperty("explanation").GetString()));
        Assert.IsTrue(result.RootElement.GetProperty("swaps").EnumerateArray().All(s => !s.TryGetProperty("txHash", out _)), "a dry run sends nothing");
    }

    [TestMethod]
    [DataRow("""{"weights":{"DOGE":1.0}}""", "unknown symbol(s) DOGE")]
    [DataRow("""{"weights":{"BTC":0.5,"USDC":0.4}}""", "must sum to 1 within 1E-06")]
    [DataRow("""{"weights":{"BTC":1.5,"USDC":-0.5}}""", "finite and ≥ 0")]
    [DataRow("""{"targets":{}}""", "has no \"weights\" object")]
    [DataRow("not json", "is not JSON")]
    public async Task Rebalance_InvalidTargets_FailsWithClearError(string content, string expected)
    {
        WriteFakeManifest(FreePort());

        var run = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", WriteTargets(content), "--json");

        Assert.AreEqual(CliApp.UserError, run.Exit);
        Assert.Contains(expected, run.Err);
    }

    [TestMethod]
    public async Task Rebalance_NodeNotRunning_SaysTheNodeIsNotAnswering()
    {
        WriteFakeManifest(FreePort());

        var run = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", WriteTargets("""{"weights":{"USDC":1}}"""));

        Assert.AreEqual(CliApp.UserError, run.Exit);
        Assert.Contains("is not answering", run.Err);
    }

    [TestMethod]
    public async Task ChainUp_ThreeVaults_EachFundedVaultHasItsOwnContractsOnTheOneNode()
    {
        var up = await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory, "--vaults", "3");
        Assert.AreEqual(0, up.Exit, up.Err);
        var manifests = new[] { ChainFile, Path.Combine(_directory, "vaults", "2", LocalChainManifest.FileName), Path.Combine(_directory, "vaults", "3", LocalChainManifest.FileName) }
            .Select(LocalChainManifest.Load).ToList();

        Assert.HasCount(1, manifests.Select(m => m.RpcUrl).Distinct(), "one node");
        Assert.HasCount(1, manifests.Select(m => m.Pid).Distinct(), "one anvil process");
        Assert.HasCount(3, manifests.Select(m => m.Vault.ToLowerInvariant()).Distinct(), "three vaults");
        Assert.HasCount(3, manifests.Select(m => m.Router.ToLowerInvariant()).Distinct(), "each with its own router and pools");

        // The last vault is funded and trades like the first.
        var rebalance = await CliRunner.RunAsync(
            "rebalance", "--chain", Path.Combine(_directory, "vaults", "3", LocalChainManifest.FileName), "--targets",
            WriteTargets("""{"weights":{"BTC":0.4,"ETH":0.3,"SOL":0.05,"BNB":0.15,"USDC":0.1}}"""), "--policy", "full", "--json");
        Assert.AreEqual(0, rebalance.Exit, rebalance.Err);
        using var result = JsonDocument.Parse(rebalance.Out);
        Assert.AreEqual(0.4, result.RootElement.GetProperty("weightsAfter").GetProperty("BTC").GetDouble(), 0.005);
    }

    [TestMethod]
    public async Task ChainUp_ZeroVaults_FailsNamingTheOption()
    {
        var run = await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory, "--vaults", "0");

        Assert.AreEqual(CliApp.UserError, run.Exit);
        Assert.Contains("--vaults must be between 1 and 200 (got 0)", run.Err);
        Assert.IsFalse(File.Exists(ChainFile), "nothing started");
    }

    [TestMethod]
    public async Task ChainDown_NothingRunning_SaysSo()
    {
        WriteFakeManifest(FreePort());

        var run = await CliRunner.RunAsync("chain", "down", "--out", _directory);

        Assert.AreEqual(0, run.Exit, run.Err);
        Assert.Contains("nothing to stop", run.Out);
    }

    public void Dispose()
    {
        // Whatever a test did, no anvil outlives it.
        if (File.Exists(ChainFile) && LocalChainManifest.Load(ChainFile).Pid is { } pid)
        {
            AnvilProcess.Stop(pid);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Scratch files in the temp directory.
        }
    }

    private string WriteTargets(string content)
    {
        var path = Path.Combine(_directory, "targets.json");
        File.WriteAllText(path, content);
        return path;
    }

    private void WriteFakeManifest(int port)
    {
        const string A = "0x0000000000000000000000000000000000000001";
        new LocalChainManifest
        {
            RpcUrl = $"http://127.0.0.1:{port}/", ChainId = 31337, Vault = A, Router = A, Owner = AnvilDevAccounts.Owner.Address.ToString(),
            Keeper = AnvilDevAccounts.Keeper.Address.ToString(), QuoteToken = new ManifestToken("USDC", A, 6),
            Assets = [new ManifestToken("BTC", A, 18, A, 30_000m), new ManifestToken("ETH", A, 18, A, 2_000m)],
            Pid = int.MaxValue,
        }.Save(ChainFile);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
