using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Predictive.Keeper.Store;
using Predictive.Service.Tests.Support;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>
/// The Vaults page over a decision log written by real keeper passes (<c>predictive keeper run</c>) on anvil, with the
/// repository's trained model served by this service: a pass that trades, two passes refused on a stale oracle after the
/// chain's clock moves past the feeds' heartbeat, and a pass refused on a vault its guardian paused. The page and
/// <c>GET /v1/vaults</c> must show what the keeper store returns (read here through the keeper's own store), the trades
/// must be the chain's (their receipts), and the keeper gauges and alerts must move with each step.
/// </summary>
[TestClass]
public sealed partial class VaultsPageTests
{
    // Anvil's first dev account: the local vault's owner and guardian (LocalChainDeployer).
    private const string OwnerKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Slow")]
    public async Task VaultsPage_RealKeeperPassesOnAnvil_ShowsDecisionLogTradesAndKeeperAlertsAsStoreAndChainSay()
    {
        var ct = TestContext.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("predictive-vaults-").FullName;
        var store = Path.Combine(dir, "keeper.db");
        using var models = new ModelsFolder().AddCopy("default", "1", RepositoryPaths.Combine("models", "default", "1"));
        await using var factory = new ServiceFactory(models.Path, new Dictionary<string, string?> { ["Predictive:Dashboard:KeeperStore"] = store, ["Predictive:Dashboard:RefusalStreak"] = "2" });
        using var client = factory.Client();
        var up = await CliProcess.PredictiveAsync(ct, "chain", "up", "--port", "0", "--out", Path.Combine(dir, "chain"));
        Assert.AreEqual(0, up.ExitCode, up.Stderr);
        var chainFile = Path.Combine(dir, "chain", "chain.json");
        var chain = JsonNode.Parse(await File.ReadAllTextAsync(chainFile, ct))!;
        using var rpc = new HttpClient { BaseAddress = new Uri(chain["rpcUrl"]!.GetValue<string>()) };
        try
        {
            var config = Path.Combine(dir, "keeper.json");
            await File.WriteAllTextAsync(config, new JsonObject
            {
                ["serviceUrl"] = client.BaseAddress!.ToString(), ["key"] = new JsonObject { ["dev"] = true }, ["store"] = store,
                ["vaults"] = new JsonArray(new JsonObject
                {
                    ["name"] = "demo", ["chain"] = chainFile, ["chainId"] = chain["chainId"]!.GetValue<long>(), ["vault"] = chain["vault"]!.GetValue<string>(),
                    ["marketData"] = new JsonObject { ["source"] = "synthetic", ["seed"] = 42 },
                }),
            }.ToJsonString(), ct);
            var vault = chain["vault"]!.GetValue<string>().ToLowerInvariant();

            // 1. A pass on fresh feeds.
            await PassAsync(config);
            var metrics = await MetricsAsync(client);
            Assert.AreEqual(0, Gauge(metrics, "predictive_keeper_oracle_stale"), "fresh feeds");
            Assert.AreEqual(0, Gauge(metrics, "predictive_keeper_vault_paused"), "not paused");

            // 2. The chain's clock moves two hours: every feed is past its one-hour heartbeat; two passes are refused on it.
            await RpcAsync(rpc, "evm_increaseTime", 7200);
            await RpcAsync(rpc, "evm_mine");
            await PassAsync(config);
            await PassAsync(config);
            metrics = await MetricsAsync(client);
            Assert.AreEqual(1, Gauge(metrics, "predictive_keeper_oracle_stale"), "stale feeds");
            Assert.AreEqual(2, Gauge(metrics, "predictive_keeper_refusals_consecutive", "oracle-stale"), "two refusals in a row");
            CollectionAssert.IsSubsetOf(new[] { "PredictiveOracleStale", "PredictiveVaultRefusing" }, await FiringAsync(client));

            // 3. The guardian pauses the vault; the next pass is refused on that.
            await SendPauseAsync(rpc, vault);
            await PassAsync(config);
            metrics = await MetricsAsync(client);
            Assert.AreEqual(1, Gauge(metrics, "predictive_keeper_vault_paused"), "paused");
            Assert.AreEqual(1, Gauge(metrics, "predictive_keeper_refusals_consecutive", "paused"), "one refusal for the new reason");
            var firing = await FiringAsync(client);
            Assert.Contains("PredictiveVaultPaused", firing);
            Assert.DoesNotContain("PredictiveVaultRefusing", firing, "the streak restarted with the new reason, below the limit of 2");

            // What the keeper recorded, read through its own store: the page must show exactly this.
            var records = await (await SqliteKeeperStore.OpenAsync(store, ct)).ReadDecisionsAsync(null, 100, ct);
            CollectionAssert.AreEqual(new[] { "oracle-stale", "oracle-stale", "paused" }, records.Skip(1).Select(r => r.Reason).ToArray(), string.Join(" | ", records.Select(r => $"{r.Outcome} {r.Reason}: {r.Explanation}")));
            Assert.AreEqual("trade", records[0].Outcome, records[0].Explanation);
            Assert.IsNotEmpty(records[0].Swaps);

            var api = (await client.GetObject("/v1/vaults"))["vaults"]!.AsArray().Single()!;
            Assert.AreEqual(vault, api["vaultAddress"]!.GetValue<string>());
            Assert.AreEqual(records.Count, api["passes"]!.GetValue<int>());
            Assert.IsTrue(api["paused"]!.GetValue<bool>());
            Assert.AreEqual("stale", api["oracle"]!["status"]!.GetValue<string>());

            await using var browser = await BrowserSession.StartAsync();
            var page = await browser.OpenAsync(new Uri(client.BaseAddress!, $"/vaults/{vault}"));
            Assert.AreEqual("true", await page.Locator("#paused").GetAttributeAsync("data-paused"));
            Assert.AreEqual("stale", await page.Locator("#oracle").GetAttributeAsync("data-status"));
            // The composition's one oracle verdict: the `oracle` guard, its detail naming each feed's failed check.
            var oracleText = await page.Locator("#oracle").TextContentAsync();
            StringAssert.Contains(oracleText, "oracle: ");
            StringAssert.Contains(oracleText, " stale: ");
            Assert.AreEqual("1", await page.Locator("#refusals").GetAttributeAsync("data-count"));
            Assert.AreEqual(1, await page.Locator("figure[data-chart=weights] svg").CountAsync());

            // Target against actual weights, and the drift computed here from the records.
            var sampled = records.Where(r => r.Targets is not null && r.CurrentWeights is not null).Reverse().ToList();
            var weightRows = await page.Locator("#weights tbody tr").AllAsync();
            Assert.HasCount(sampled.Count, weightRows);
            Assert.IsGreaterThanOrEqualTo(3, sampled.Count, "the trade and the two stale-oracle passes read targets and weights");
            for (var i = 0; i < sampled.Count; i++)
            {
                var symbols = sampled[i].Targets!.Keys.Union(sampled[i].CurrentWeights!.Keys).ToList();
                var drift = symbols.Max(s => Math.Abs(sampled[i].CurrentWeights!.GetValueOrDefault(s) - sampled[i].Targets!.GetValueOrDefault(s)));
                Assert.AreEqual(drift, await ValueAsync(weightRows[i].Locator("td[data-column=drift]")), 1e-15, $"weights row {i}");
                foreach (var s in symbols)
                {
                    Assert.AreEqual(sampled[i].Targets!.GetValueOrDefault(s), await ValueAsync(weightRows[i].Locator($"td[data-column='target:{s}']")), 0, $"{s} target, row {i}");
                    Assert.AreEqual(sampled[i].CurrentWeights!.GetValueOrDefault(s), await ValueAsync(weightRows[i].Locator($"td[data-column='actual:{s}']")), 0, $"{s} actual, row {i}");
                }
            }

            // The decisions, newest first, each with every guard's result.
            var decisionRows = await page.Locator("#decisions tbody tr").AllAsync();
            Assert.HasCount(records.Count, decisionRows);
            for (var i = 0; i < records.Count; i++)
            {
                var r = records[records.Count - 1 - i];
                var cells = await decisionRows[i].Locator("> td").AllTextContentsAsync();
                Assert.AreEqual(r.Outcome, cells[2], $"decision {i}");
                Assert.AreEqual(r.Reason, cells[3], $"decision {i}");
                Assert.AreEqual(r.Explanation, cells[4], $"decision {i}");
                var guards = await decisionRows[i].Locator("ul.guards li").EvaluateAllAsync<string[][]>("ls => ls.map(l => [l.dataset.guard, l.dataset.fired])");
                CollectionAssert.AreEqual(r.Guards.Select(g => g.Guard).ToArray(), guards.Select(g => g[0]).ToArray(), $"decision {i} guards");
                CollectionAssert.AreEqual(r.Guards.Select(g => g.Fired ? "true" : "false").ToArray(), guards.Select(g => g[1]).ToArray(), $"decision {i} guards fired");
            }

            Assert.AreEqual("true", await decisionRows[0].Locator("li[data-guard=paused]").GetAttributeAsync("data-fired"));
            Assert.AreEqual("true", await decisionRows[1].Locator("li[data-guard=oracle]").First.GetAttributeAsync("data-fired"));

            // The trades are the chain's: gas used as the receipt says, gas cost = gas used × effective gas price.
            var swaps = records.Reverse().SelectMany(r => r.Swaps.Reverse()).ToList();
            var tradeRows = await page.Locator("#trades tbody tr").AllAsync();
            Assert.HasCount(swaps.Count, tradeRows);
            for (var i = 0; i < swaps.Count; i++)
            {
                var receipt = (await RpcAsync(rpc, "eth_getTransactionReceipt", swaps[i].TxHash!))!;
                var gas = (long)Hex(receipt["gasUsed"]!.GetValue<string>());
                var price = Hex(receipt["effectiveGasPrice"]!.GetValue<string>());
                Assert.AreEqual(gas, await ValueAsync(tradeRows[i].Locator("td[data-column=gas]")), 0, $"trade {i} gas");
                Assert.AreEqual((double)(gas * price) / 1e18, await ValueAsync(tradeRows[i].Locator("td[data-column=gas-cost]")), 1e-18, $"trade {i} gas cost");
                Assert.AreEqual(swaps[i].TxHash, (await tradeRows[i].Locator("td").Last.TextContentAsync())!.Trim());
            }

            // A lease left past its expiry (its keeper died mid-pass) fires the lease alert and moves its gauge.
            var now = TimeProvider.System.GetUtcNow();
            await (await SqliteKeeperStore.OpenAsync(store, ct)).TryAcquireLeaseAsync($"31337:{vault}", "keeper-crashed", TimeSpan.FromSeconds(30), now - TimeSpan.FromMinutes(2), ct);
            Assert.Contains("PredictiveKeeperLeaseExpired", await FiringAsync(client));
            var overdue = Gauge(await MetricsAsync(client), "predictive_keeper_lease_overdue_seconds");
            Assert.IsTrue(overdue >= 90 && overdue < 600, $"overdue {overdue} s: expired 90 s before the test's clock read");

            var index = await browser.OpenAsync(new Uri(client.BaseAddress!, "/vaults"));
            Assert.AreEqual(1, await index.Locator($"#vaults tr[data-vault='{vault}']").CountAsync());
            Assert.AreEqual(1, await index.Locator("#leases tr.outcome-failed").CountAsync());
            Assert.AreEqual(1, await index.Locator("#alerts li[data-alert=PredictiveKeeperLeaseExpired]").CountAsync());
            Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));
            var shots = Environment.GetEnvironmentVariable("PREDICTIVE_DASHBOARD_SCREENSHOTS");
            if (!string.IsNullOrEmpty(shots))
            {
                await index.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard-vaults.png"), FullPage = true });
                var detail = await browser.OpenAsync(new Uri(client.BaseAddress!, $"/vaults/{vault}"));
                await detail.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard-vault.png"), FullPage = true });
            }
        }
        finally
        {
            await CliProcess.PredictiveAsync(CancellationToken.None, "chain", "down", "--out", Path.Combine(dir, "chain"));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task PassAsync(string config)
    {
        var run = await CliProcess.PredictiveAsync(TestContext.CancellationToken, "keeper", "run", "--config", config, "--rounds", "1");
        Assert.AreEqual(0, run.ExitCode, run.Stderr + run.Stdout);
    }

    private async Task<string> MetricsAsync(HttpClient client)
    {
        // The gauges read the last evaluation: ask for one, as the background monitor does on its interval.
        await client.GetObject("/v1/alerts");
        return await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.CancellationToken);
    }

    private static async Task<string[]> FiringAsync(HttpClient client) =>
        [.. (await client.GetObject("/v1/alerts"))["firing"]!.AsArray().Select(a => a!["name"]!.GetValue<string>())];

    private static double Gauge(string metrics, string name, string? reason = null)
    {
        var match = Regex.Match(metrics, $"^{name}\\{{([^}}]*)\\}} (\\S+)", RegexOptions.Multiline);
        Assert.IsTrue(match.Success, $"/metrics has no {name}:\n{metrics}");
        if (reason is not null)
        {
            StringAssert.Contains(match.Groups[1].Value, $"reason=\"{reason}\"", name);
        }

        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<double> ValueAsync(ILocator cell) => double.Parse((await cell.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private async Task<JsonNode?> RpcAsync(HttpClient rpc, string method, params object[] parameters)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        using var response = await rpc.PostAsync(new Uri("", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), TestContext.CancellationToken);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.CancellationToken))!;
        Assert.IsNull(answer["error"], $"{method}: {answer["error"]}");
        return answer["result"];
    }

    // pause() from the guardian (the owner on the local chain), signed by Nethereum as the CLI signs.
    private static async Task SendPauseAsync(HttpClient rpc, string vault)
    {
        var web3 = new Nethereum.Web3.Web3(new Nethereum.Web3.Accounts.Account(OwnerKey, 31337), rpc.BaseAddress!.ToString());
        var receipt = await web3.Eth.GetContractTransactionHandler<Predictive.Chain.Contracts.VaultPauseFunction>()
            .SendRequestAndWaitForReceiptAsync(vault, new Predictive.Chain.Contracts.VaultPauseFunction());
        Assert.AreEqual(1, (int)receipt.Status.Value, "pause() reverted");
    }
}
