using Predictive.Operator.Storage;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>
/// The Jobs page over a database written by the operator's own run-history store (SqliteRunHistory): the page shows
/// the runs that store lists and <c>GET /v1/jobs</c> returns, and a failed last run fires PredictiveJobFailed.
/// </summary>
[TestClass]
public sealed class JobsPageTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task JobsPage_OperatorRunHistory_ShowsRunsAndFailedJobAlertAsApiReturns()
    {
        var dir = Directory.CreateTempSubdirectory("predictive-operator-").FullName;
        try
        {
            var db = Path.Combine(dir, "operator.db");
            var history = new SqliteRunHistory(new SqliteOperatorDatabase($"Data Source={db};Pooling=False"));
            var t0 = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
            var ct = TestContext.CancellationToken;
            var retrain = await history.StartAsync(new RunStart("retrain", "retrain-cron", "node-a", "f1", false, t0, t0.AddSeconds(2)), ct);
            await history.FinishAsync(retrain, new RunEnd(t0.AddSeconds(24.5), RunOutcome.Succeeded, "trained operator-allocator/1", new string('a', 64), null, null), ct);
            var evaluate = await history.StartAsync(new RunStart("evaluate", "MT_x", "node-b", "f2", false, null, t0.AddSeconds(25)), ct);
            await history.FinishAsync(evaluate, new RunEnd(t0.AddSeconds(31), RunOutcome.Failed, null, null, null, "the data file is missing"), ct);
            var expected = await history.ListAsync(50, null, ct);

            using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
            await using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?> { ["Predictive:Dashboard:OperatorDatabase"] = db });
            using var client = factory.Client();
            await using var browser = await BrowserSession.StartAsync();

            var api = (await client.GetObject("/v1/jobs"))["runs"]!.AsArray();
            var page = await browser.OpenAsync(new Uri(client.BaseAddress!, "/jobs"));
            var rows = await page.Locator("#runs tbody tr").AllAsync();

            Assert.HasCount(expected.Count, api);
            Assert.HasCount(expected.Count, rows);
            for (var i = 0; i < rows.Count; i++)
            {
                var cells = await rows[i].Locator("td").AllTextContentsAsync();
                Assert.AreEqual(expected[i].Id, api[i]!["id"]!.GetValue<long>());
                Assert.AreEqual(expected[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cells[0]);
                Assert.AreEqual(expected[i].Job, cells[1]);
                Assert.AreEqual(expected[i].Node, cells[2]);
                Assert.AreEqual(expected[i].Outcome.ToString(), cells[6]);
                Assert.AreEqual(expected[i].Outcome.ToString(), api[i]!["outcome"]!.GetValue<string>());
                var seconds = (expected[i].Ended!.Value - expected[i].Started).TotalSeconds;
                Assert.AreEqual(seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture), await rows[i].Locator("td[data-column=seconds]").GetAttributeAsync("data-value"));
            }

            var firing = (await client.GetObject("/v1/alerts"))["firing"]!.AsArray();
            Assert.AreEqual("PredictiveJobFailed", firing.Single()!["name"]!.GetValue<string>());
            StringAssert.Contains(await page.Locator("#alerts li[data-alert=PredictiveJobFailed]").TextContentAsync(), "the data file is missing");
            Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));

        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
