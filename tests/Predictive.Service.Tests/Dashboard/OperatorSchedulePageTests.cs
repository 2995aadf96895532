using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Predictive.Operator.Hosting;
using Predictive.Operator.Storage;
using Predictive.Service.Tests.Support;
using Quartz;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>
/// The Jobs page after a real operator run: the operator host (Quartz on its SQLite store, node "node-a") runs a
/// keeper job every 5 s (the shortest interval it accepts) and holds three cron triggers that fire only in 2099; then it stops. The page shows the
/// schedule, the node and the runs exactly as <c>GET /v1/jobs</c> returns them, and both agree with what is known
/// independently: the cron expression's next time, the interval, and the run history's scheduled times. Once the
/// keeper trigger is overdue past the misfire threshold (1 s here) with no node running, PredictiveJobMisfired fires.
/// </summary>
[TestClass]
public sealed class OperatorSchedulePageTests
{
    internal const string Never = "0 0 0 1 1 ? 2099";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task JobsPage_AfterRealOperatorRun_ShowsScheduleNodeAndRunsAsApiQuartzAndHistoryAgree()
    {
        var dir = Directory.CreateTempSubdirectory("predictive-operator-run-").FullName;
        try
        {
            var ct = TestContext.CancellationToken;
            var db = Path.Combine(dir, "work", "operator.db");
            var settings = Settings(dir);
            settings["Operator:Keeper:Vaults:0:Name"] = "alpha";
            settings["Operator:Keeper:Config"] = Path.Combine(dir, "keeper.json");
            settings["Operator:Keeper:Vaults:0:IntervalSeconds"] = "5";
            using (var host = OperatorHost.Build([], settings))
            {
                await host.StartAsync(ct);
                var history = host.Services.GetRequiredService<IRunHistory>();
                var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
                while ((await history.ListAsync(50, "keeper-alpha", ct)).Count(r => r.Outcome != RunOutcome.Running) < 2)
                {
                    Assert.IsLessThan(deadline, TimeProvider.System.GetUtcNow(), "two keeper runs within 90 s");
                    await Task.Delay(200, ct);
                }

                await host.StopAsync(ct);
            }

            SqliteConnection.ClearAllPools();
            var runs = await new SqliteRunHistory(new SqliteOperatorDatabase($"Data Source={db};Pooling=False")).ListAsync(50, null, ct);
            using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
            await using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?>
            {
                ["Predictive:Dashboard:OperatorDatabase"] = db,
                ["Predictive:Dashboard:MisfireThreshold"] = "00:00:01",
            });
            using var client = factory.Client();
            var api = await client.GetObject("/v1/jobs");
            var scheduled = api["scheduled"]!.AsArray();

            // Independent of the dashboard: the cron triggers' next time from the cron expression, the keeper's from its interval
            // and the run history (the listener records each run's scheduled fire time, which is the trigger's previous fire).
            var cronNext = TriggerBuilder.Create().WithCronSchedule(Never, c => c.InTimeZone(TimeZoneInfo.Utc)).Build().GetFireTimeAfter(TimeProvider.System.GetUtcNow())!.Value;
            CollectionAssert.AreEquivalent(new[] { "retrain-cron", "evaluate-cron", "promote-cron", "keeper-alpha-interval" }, scheduled.Select(t => t!["trigger"]!.GetValue<string>()).ToArray());
            var keeper = scheduled.Single(t => t!["trigger"]!.GetValue<string>() == "keeper-alpha-interval")!;
            Assert.AreEqual(0, scheduled.IndexOf(keeper), "the keeper fires first");
            foreach (var cron in scheduled.Where(t => t!["type"]!.GetValue<string>() == "CRON"))
            {
                Assert.AreEqual(cronNext, Time(cron!["nextFire"]), cron["trigger"]!.GetValue<string>());
            }

            var previous = Time(keeper["previousFire"]);
            Assert.AreEqual(TimeSpan.FromSeconds(5), Time(keeper["nextFire"]) - previous, "interval");
            var lastKeeperRun = runs.Where(r => r.Job == "keeper-alpha").MaxBy(r => r.Scheduled)!;
            Assert.AreEqual(lastKeeperRun.Scheduled!.Value.ToUnixTimeMilliseconds(), previous.ToUnixTimeMilliseconds(), "the trigger's previous fire is the last run's scheduled time");

            var node = api["nodes"]!.AsArray().Single()!;
            Assert.AreEqual("node-a", node["node"]!.GetValue<string>());
            Assert.AreEqual(runs.Count, node["runs"]!.GetValue<int>());
            Assert.AreEqual(runs.Count(r => r.Outcome == RunOutcome.Succeeded), node["succeeded"]!.GetValue<int>());
            CollectionAssert.AreEqual(new[] { "keeper-alpha" }, node["jobs"]!.AsArray().Select(j => j!.GetValue<string>()).ToArray());
            Assert.IsEmpty(api["running"]!.AsArray(), "the operator stopped");

            await using var browser = await BrowserSession.StartAsync();
            var page = await browser.OpenAsync(new Uri(client.BaseAddress!, "/jobs"));
            var rows = await page.Locator("#schedule tbody tr").AllAsync();
            var evaluated = DateTimeOffset.Parse((await page.Locator("#schedule-at").TextContentAsync())!, CultureInfo.InvariantCulture);
            Assert.HasCount(scheduled.Count, rows);
            for (var i = 0; i < rows.Count; i++)
            {
                var cells = (await rows[i].Locator("td").AllTextContentsAsync()).ToArray();
                var t = scheduled[i]!;
                CollectionAssert.AreEqual(
                    new[] { t["job"]!.GetValue<string>(), t["trigger"]!.GetValue<string>(), t["type"]!.GetValue<string>(), Shown(t["nextFire"]), Shown(t["previousFire"]), t["state"]!.GetValue<string>() },
                    cells[..6],
                    $"schedule row {i}: {string.Join(" | ", cells)}");

                // Misfired is judged when the page read the store: more than the threshold (1 s) past the next fire time.
                var overdue = evaluated - Time(t["nextFire"]) > TimeSpan.FromSeconds(1);
                Assert.AreEqual(overdue ? "misfired" : "", cells[6], $"schedule row {i} at {evaluated:O}");
            }

            var nodeCells = await page.Locator("#nodes tbody tr").First.Locator("td").AllTextContentsAsync();
            CollectionAssert.AreEqual(new[] { "node-a", runs.Count.ToString(CultureInfo.InvariantCulture) }, nodeCells.Take(2).ToArray());
            Assert.AreEqual(runs.Count, await page.Locator("#runs tbody tr").CountAsync());
            Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));

            // No node runs the schedule: once the keeper's next fire is more than the threshold past, it misfired.
            var misfiredAt = Time(keeper["nextFire"]) + TimeSpan.FromSeconds(1.5);
            var wait = misfiredAt - TimeProvider.System.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            var firing = (await client.GetObject("/v1/alerts"))["firing"]!.AsArray();
            var misfired = firing.Single(a => a!["name"]!.GetValue<string>() == "PredictiveJobMisfired")!;
            StringAssert.Contains(misfired["summary"]!.GetValue<string>(), "keeper-alpha-interval");
            var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
            Assert.IsTrue(System.Text.RegularExpressions.Regex.IsMatch(metrics, @"^predictive_operator_triggers_overdue\{[^}]*\} 1$", System.Text.RegularExpressions.RegexOptions.Multiline), "predictive_operator_triggers_overdue is 1");
            var late = await browser.OpenAsync(new Uri(client.BaseAddress!, "/jobs"));
            Assert.AreEqual("misfired", await late.Locator("#schedule tr[data-trigger=keeper-alpha-interval] td").Nth(6).TextContentAsync());
            StringAssert.Contains(await late.Locator("#alerts li[data-alert=PredictiveJobMisfired]").TextContentAsync(), "keeper-alpha-interval");
            Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));

            var shots = Environment.GetEnvironmentVariable("PREDICTIVE_DASHBOARD_SCREENSHOTS");
            if (!string.IsNullOrEmpty(shots))
            {
                await late.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard-jobs.png"), FullPage = true });
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    [TestCategory("Slow")]
    public async Task JobsPage_OperatorTraining_ShowsTheRunningJobOnItsNodeAsApiReturns()
    {
        var dir = Directory.CreateTempSubdirectory("predictive-operator-running-").FullName;
        try
        {
            var ct = TestContext.CancellationToken;
            var settings = Settings(dir);
            settings["Operator:Schedules:RetrainOnStart"] = "true";
            settings["Operator:Retrain:Patience"] = "30"; // all 30 epochs: the retrain runs long enough to be seen running
            using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
            await using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?> { ["Predictive:Dashboard:OperatorDatabase"] = Path.Combine(dir, "work", "operator.db") });
            using var client = factory.Client();
            await using var browser = await BrowserSession.StartAsync();
            using var host = OperatorHost.Build([], settings);
            await host.StartAsync(ct);
            try
            {
                // Wait until the store says the retrain is executing, then open the page while it still is.
                JsonArray running = [];
                var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
                while (running.Count == 0)
                {
                    Assert.IsLessThan(deadline, TimeProvider.System.GetUtcNow(), "the retrain executing within 90 s");
                    await Task.Delay(100, ct);
                    running = (await client.GetObject("/v1/jobs"))["running"]!.AsArray();
                }

                var page = await browser.OpenAsync(new Uri(client.BaseAddress!, "/jobs"));
                var api = (await client.GetObject("/v1/jobs"))["running"]!.AsArray();
                var job = running.Single()!;
                Assert.AreEqual("node-a", job["node"]!.GetValue<string>());
                Assert.AreEqual("retrain", job["job"]!.GetValue<string>());
                Assert.AreEqual("retrain-on-start", job["trigger"]!.GetValue<string>());
                Assert.HasCount(1, api, "still training when the page was read");
                CollectionAssert.AreEqual(
                    new[] { "node-a", "retrain", "retrain-on-start", Shown(job["fired"]) },
                    (await page.Locator("#running tbody tr").First.Locator("td").AllTextContentsAsync()).ToArray());
                Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));
            }
            finally
            {
                await host.StopAsync(ct);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The operator on node-a in <paramref name="dir"/>, with cron triggers that fire only in 2099 and no retrain on start.</summary>
    internal static Dictionary<string, string?> Settings(string dir) => new(StringComparer.Ordinal)
    {
        ["Operator:NodeId"] = "node-a",
        ["Operator:WorkingDirectory"] = Path.Combine(dir, "work"),
        ["Operator:ModelsDirectory"] = Path.Combine(dir, "models"),
        ["Operator:Schedules:RetrainOnStart"] = "false",
        ["Operator:Schedules:Retrain"] = Never,
        ["Operator:Schedules:Evaluate"] = Never,
        ["Operator:Schedules:Promote"] = Never,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static string Shown(JsonNode? node) => node is null ? "" : Time(node).ToString("u", CultureInfo.InvariantCulture);
}
