using System.Text.RegularExpressions;
using Predictive.Service.Tests.Support;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>
/// The dashboard of a service with no valid model and no comparison location: readiness degraded shows as a firing
/// alert and in the <c>predictive_ready</c> gauge, and pages without a data source say so instead of showing anything.
/// </summary>
[TestClass]
public sealed partial class DashboardEmptyStateTests
{
    [TestMethod]
    public async Task AlertsPanel_NoValidModel_ShowsReadinessDegradedAsApiAndMetricsReport()
    {
        using var folder = new ModelsFolder().AddTampered("tampered", "1");
        await using var factory = new ServiceFactory(folder.Path);
        using var client = factory.Client();
        await using var browser = await BrowserSession.StartAsync();

        var api = await client.GetObject("/v1/alerts");
        var page = await browser.OpenAsync(new Uri(client.BaseAddress!, "/models"));

        var firing = api["firing"]!.AsArray();
        CollectionAssert.AreEqual(new[] { "PredictiveReadinessDegraded", "PredictiveModelsRefused" }, firing.Select(a => a!["name"]!.GetValue<string>()).ToArray());
        var shown = await page.Locator("#alerts li").AllAsync();
        Assert.HasCount(firing.Count, shown);
        for (var i = 0; i < shown.Count; i++)
        {
            Assert.AreEqual(firing[i]!["name"]!.GetValue<string>(), await shown[i].GetAttributeAsync("data-alert"));
            StringAssert.Contains(await shown[i].TextContentAsync(), firing[i]!["summary"]!.GetValue<string>());
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.CancellationToken);
        Assert.AreEqual("0", ReadyGauge().Match(metrics).Groups[1].Value, "predictive_ready");
        Assert.AreEqual("none", await page.Locator("#default-model").TextContentAsync());
        Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));
    }

    [TestMethod]
    public async Task Pages_NoDataSource_SayNoDataSourceConfigured()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        await using var factory = new ServiceFactory(folder.Path);
        using var client = factory.Client();
        await using var browser = await BrowserSession.StartAsync();

        var comparisons = await client.GetObject("/v1/comparisons");
        Assert.IsFalse(comparisons["configured"]!.GetValue<bool>());
        foreach (var path in new[] { "/comparisons", "/vaults", "/jobs" })
        {
            var page = await browser.OpenAsync(new Uri(client.BaseAddress!, path));
            Assert.AreEqual("No data source configured", await page.Locator("[data-state=no-data-source] h2").TextContentAsync(), path);
            Assert.AreEqual(0, await page.Locator("table").CountAsync(), $"{path}: shows a table without a source");
            await page.CloseAsync();
        }

        Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));
    }

    [TestMethod]
    public async Task AlertRules_File_CoversEveryDashboardAlertWithExportedMetrics()
    {
        // An operator database (written by the operator's own store) so that the operator gauges are exported too.
        var dir = Directory.CreateTempSubdirectory("predictive-rules-").FullName;
        var db = Path.Combine(dir, "operator.db");
        await new Predictive.Operator.Storage.SqliteRunHistory(new Predictive.Operator.Storage.SqliteOperatorDatabase($"Data Source={db};Pooling=False")).ListAsync(1, null, TestContext.CancellationToken);

        // A keeper store with one pass that read the oracle and checked the pause, and a valid lease, so the keeper gauges are exported too.
        var keeperDb = Path.Combine(dir, "keeper.db");
        var keeper = await Predictive.Keeper.Store.SqliteKeeperStore.OpenAsync(keeperDb, TestContext.CancellationToken);
        await keeper.AppendDecisionAsync(new Predictive.Keeper.Store.DecisionRecord
        {
            Time = DateTimeOffset.UnixEpoch, Vault = "demo", VaultAddress = "0x00000000000000000000000000000000000000aa", Outcome = "no-trade", Reason = "within-band", Explanation = "",
            OraclePrices = new Dictionary<string, decimal> { ["BTC"] = 1m }, Guards = [new("paused", false, "the vault is not paused.", null, null)],
        }, TestContext.CancellationToken);
        await keeper.TryAcquireLeaseAsync("31337:0x00000000000000000000000000000000000000aa", "keeper-a", TimeSpan.FromDays(3650), TimeProvider.System.GetUtcNow(), TestContext.CancellationToken);
        try
        {
            using var folder = new ModelsFolder().AddTampered("tampered", "1");
            await using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?> { ["Predictive:Dashboard:OperatorDatabase"] = db, ["Predictive:Dashboard:KeeperStore"] = keeperDb });
            using var client = factory.Client();
            var rules = await File.ReadAllTextAsync(RepositoryPaths.Combine("docs", "alerts", "predictive.rules.yml"), TestContext.CancellationToken);

            // Every alert the dashboard can show (AlertNames) has a rule of the same name; with no valid model two of them fire.
            var names = typeof(Predictive.Service.Dashboard.Alerts.AlertNames).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
            Assert.HasCount(9, names);
            foreach (var name in names)
            {
                StringAssert.Contains(rules, $"- alert: {name}\n", $"{name} has no rule");
            }

            var firing = (await client.GetObject("/v1/alerts"))["firing"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToArray();
            CollectionAssert.AreEqual(new[] { "PredictiveReadinessDegraded", "PredictiveModelsRefused" }, firing);

            var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.CancellationToken);
            var used = MetricName().Matches(rules).Select(m => m.Value).Distinct().ToArray();
            Assert.IsNotEmpty(used);
            foreach (var metric in used)
            {
                Assert.IsTrue(Regex.IsMatch(metrics, $"^{metric}[{{ ]", RegexOptions.Multiline), $"the rules use {metric}, which /metrics does not export");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    public TestContext TestContext { get; set; } = null!;

    [GeneratedRegex(@"\bpredictive_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^predictive_ready\{[^}]*\} (\S+)", RegexOptions.Multiline)]
    private static partial Regex ReadyGauge();
}
