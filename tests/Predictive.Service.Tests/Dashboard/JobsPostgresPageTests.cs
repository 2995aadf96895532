using Microsoft.Extensions.DependencyInjection;
using Predictive.Operator.Hosting;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>
/// The Jobs page of a clustered operator: two operator nodes on one PostgreSQL database (Quartz clustered, the run
/// history in the same database) run a keeper job every 5 s, then stop. The service, pointed at the database with
/// <c>Predictive:Dashboard:OperatorPostgres</c>, shows the runs the operator's own store lists there, the nodes that ran
/// them and the schedule from Quartz's PostgreSQL tables, as <c>GET /v1/jobs</c> returns them; and the Vaults page reads
/// the keeper store in the same database (a pass, a lease left past its expiry).
/// </summary>
[TestClass]
public sealed class JobsPostgresPageTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Slow")]
    public async Task JobsAndVaults_ClusteredOperatorOnPostgres_ShowRunsNodesScheduleAndKeeperStoreAsTheStoresList()
    {
        var ct = TestContext.CancellationToken;
        var connection = await PostgresServer.CreateDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("predictive-operator-pg-").FullName;
        try
        {
            var hosts = new[] { "node-a", "node-b" }.Select(node =>
            {
                var settings = OperatorSchedulePageTests.Settings(Path.Combine(dir, node));
                settings["Operator:NodeId"] = node;
                settings["Operator:Store:Provider"] = "postgres";
                settings["Operator:Store:ConnectionString"] = connection;
                settings["Operator:Keeper:Vaults:0:Name"] = "alpha";
                settings["Operator:Keeper:Config"] = Path.Combine(dir, "keeper.json");
                settings["Operator:Keeper:Vaults:0:IntervalSeconds"] = "5";
                return OperatorHost.Build([], settings);
            }).ToList();
            try
            {
                foreach (var host in hosts)
                {
                    await host.StartAsync(ct);
                }

                var history = hosts[0].Services.GetRequiredService<IRunHistory>();
                var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
                while ((await history.ListAsync(50, "keeper-alpha", ct)).Count(r => r.Outcome != RunOutcome.Running) < 2)
                {
                    Assert.IsLessThan(deadline, TimeProvider.System.GetUtcNow(), "two keeper runs within 90 s");
                    await Task.Delay(200, ct);
                }
            }
            finally
            {
                foreach (var host in hosts)
                {
                    await host.StopAsync(ct);
                    host.Dispose();
                }
            }

            // Independent of the dashboard: the operator's own store over the same database.
            using var database = new PostgresOperatorDatabase(connection);
            var runs = await new SqlRunHistory(database).ListAsync(50, null, ct);
            using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
            await using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?> { ["Predictive:Dashboard:OperatorPostgres"] = connection });
            using var client = factory.Client();
            var api = await client.GetObject("/v1/jobs");

            Assert.IsNull(api["error"], api["error"]?.ToString());
            StringAssert.StartsWith(api["database"]!.GetValue<string>(), "postgresql://127.0.0.1:");
            Assert.DoesNotContain("Password", api["database"]!.GetValue<string>());
            CollectionAssert.AreEqual(runs.Select(r => r.Id).ToArray(), api["runs"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).ToArray());
            CollectionAssert.AreEqual(runs.Select(r => r.Node).ToArray(), api["runs"]!.AsArray().Select(r => r!["node"]!.GetValue<string>()).ToArray());
            CollectionAssert.AreEquivalent(runs.Select(r => r.Node).Distinct().ToArray(), api["nodes"]!.AsArray().Select(n => n!["node"]!.GetValue<string>()).ToArray());
            CollectionAssert.AreEquivalent(
                new[] { "retrain-cron", "evaluate-cron", "promote-cron", "keeper-alpha-interval" },
                api["scheduled"]!.AsArray().Select(t => t!["trigger"]!.GetValue<string>()).ToArray(),
                "Quartz's triggers, read from its PostgreSQL tables");

            // The operator database's keeper store (where the operator's keeper jobs log): a pass and a lease left past its
            // expiry, written through SqlKeeperStore, show on the Vaults page read from the same database.
            var keeper = new SqlKeeperStore(database);
            var now = TimeProvider.System.GetUtcNow();
            await keeper.AppendDecisionAsync(new Predictive.Keeper.Store.DecisionRecord
            {
                Time = now, Vault = "alpha", VaultAddress = "0x00000000000000000000000000000000000000AB", Outcome = "refused", Reason = "gas-ceiling", Explanation = "base fee above the ceiling",
            }, ct);
            await keeper.TryAcquireLeaseAsync("31337:0x00000000000000000000000000000000000000ab", "node-a/keeper", TimeSpan.FromSeconds(10), now - TimeSpan.FromMinutes(1), ct);
            var vaults = await client.GetObject("/v1/vaults");
            var source = vaults["sources"]!.AsArray().Single()!;
            Assert.AreEqual(api["database"]!.GetValue<string>(), source["name"]!.GetValue<string>());
            var vault = vaults["vaults"]!.AsArray().Single()!;
            Assert.AreEqual("0x00000000000000000000000000000000000000ab", vault["vaultAddress"]!.GetValue<string>());
            Assert.AreEqual("gas-ceiling", vault["refusals"]!["reason"]!.GetValue<string>());
            var lease = source["leases"]!.AsArray().Single()!;
            Assert.AreEqual("node-a/keeper", lease["owner"]!.GetValue<string>());
            Assert.IsGreaterThanOrEqualTo(50.0, lease["overdueSeconds"]!.GetValue<double>(), "expired 50 s before the test's clock read");
            Assert.Contains("PredictiveKeeperLeaseExpired", (await client.GetObject("/v1/alerts"))["firing"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToArray());

            await using var browser = await BrowserSession.StartAsync();
            var page = await browser.OpenAsync(new Uri(client.BaseAddress!, "/jobs"));
            var ids = await page.Locator("#runs tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)");
            CollectionAssert.AreEqual(runs.Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), ids);
            Assert.AreEqual(4, await page.Locator("#schedule tbody tr").CountAsync());
            Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
