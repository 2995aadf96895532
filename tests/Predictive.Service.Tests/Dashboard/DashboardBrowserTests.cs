using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Predictive.Service.Tests.Support;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>
/// The dashboard in Chromium against the real service on Kestrel: the repository's trained model plus a tampered one,
/// and a results.json written by a real <c>predictive compare</c> run. Each page must load with no console error and
/// show the numbers the JSON API returns. With <c>PREDICTIVE_DASHBOARD_SCREENSHOTS=&lt;folder&gt;</c> the page test also
/// saves a screenshot of each page there (docs/dashboard.md).
/// </summary>
[TestClass]
public sealed class DashboardBrowserTests
{
    private static ModelsFolder _models = null!;
    private static string _results = null!;
    private static ServiceFactory _factory = null!;
    private static HttpClient _client = null!;
    private static BrowserSession _browser = null!;
    private static string _comparisonId = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _models = new ModelsFolder().AddCopy("default", "1", RepositoryPaths.Combine("models", "default", "1")).AddTampered("tampered", "1");

        _results = Directory.CreateTempSubdirectory("predictive-dashboard-").FullName;
        var (exit, _, stderr) = await CliProcess.PredictiveAsync(
            context.CancellationToken, "compare", "--data", "synthetic", "--allocators", "equal,inverse-vol,risk-parity", "--policies", "calendar:21,band:0.05,cost-band,full", "--seed", "11", "--out", Path.Combine(_results, "synthetic"));
        Assert.AreEqual(0, exit, stderr);
        Directory.CreateDirectory(Path.Combine(_results, "broken"));
        await File.WriteAllTextAsync(Path.Combine(_results, "broken", "results.json"), "{\"title\": \"cut short\", \"strategies\": [", context.CancellationToken);

        _factory = new ServiceFactory(_models.Path, new Dictionary<string, string?> { ["Predictive:Dashboard:Comparisons:0"] = _results });
        _client = _factory.Client();
        var list = await _client.GetObject("/v1/comparisons");
        _comparisonId = list["results"]!.AsArray().Single(r => r!["error"] is null)!["id"]!.GetValue<string>();
        _browser = await BrowserSession.StartAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await (_browser?.DisposeAsync() ?? ValueTask.CompletedTask);
        _client?.Dispose();
        await (_factory?.DisposeAsync() ?? ValueTask.CompletedTask);
        _models?.Dispose();
        if (_results is not null && Directory.Exists(_results))
        {
            Directory.Delete(_results, recursive: true);
        }
    }

    [TestMethod]
    public async Task Pages_EverySection_LoadWithoutConsoleErrors()
    {
        var shots = Environment.GetEnvironmentVariable("PREDICTIVE_DASHBOARD_SCREENSHOTS");
        string[] paths = ["/", "/models", "/models/default/1", "/comparisons", $"/comparisons/{_comparisonId}", "/vaults", "/jobs"];
        foreach (var path in paths)
        {
            var page = await _browser.OpenAsync(Url(path));
            Assert.IsTrue(await page.Locator("h1").IsVisibleAsync(), $"{path}: no title");
            // The Vaults page's screenshot comes from VaultsPageTests, over a decision log of real passes.
            if (!string.IsNullOrEmpty(shots) && path != "/vaults")
            {
                var name = path == "/" ? "overview" : path.Trim('/').Replace('/', '-').Replace(_comparisonId, "leaderboard", StringComparison.Ordinal);
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"dashboard-{name}.png"), FullPage = true });
            }

            await page.CloseAsync();
        }

        Assert.IsEmpty(_browser.Problems, string.Join(Environment.NewLine, _browser.Problems));
    }

    [TestMethod]
    public async Task ModelsPage_TrainedAndTamperedModel_ShowsLoadedAndRefusedAsApiReturns()
    {
        var api = await _client.GetObject("/v1/models");
        var page = await _browser.OpenAsync(Url("/models"));

        var loaded = await page.Locator("#loaded tbody tr").AllAsync();
        var apiLoaded = api["loaded"]!.AsArray();
        Assert.HasCount(apiLoaded.Count, loaded);
        for (var i = 0; i < loaded.Count; i++)
        {
            var cells = await loaded[i].Locator("td").AllTextContentsAsync();
            Assert.AreEqual($"{apiLoaded[i]!["name"]}/{apiLoaded[i]!["version"]}", cells[0]);
            Assert.AreEqual(apiLoaded[i]!["sha256"]!.GetValue<string>(), cells[1]);
            Assert.AreEqual(apiLoaded[i]!["features"]!.AsArray().Count.ToString(CultureInfo.InvariantCulture), cells[2]);
        }

        var refused = await page.Locator("#refused tbody tr").AllAsync();
        var apiRefused = api["refused"]!.AsArray();
        Assert.HasCount(1, apiRefused, "the tampered model");
        Assert.HasCount(1, refused);
        var refusedCells = await refused[0].Locator("td").AllTextContentsAsync();
        CollectionAssert.AreEqual(new[] { "tampered/1", "integrity", apiRefused[0]!["reason"]!.GetValue<string>() }, refusedCells.Take(3).ToArray());
        Assert.AreEqual(api["default"]!.GetValue<string>(), await page.Locator("#default-model").TextContentAsync());
        await page.CloseAsync();
    }

    [TestMethod]
    public async Task ModelCard_RepositoryModel_ShowsManifestRangeAndApiMetricsAndFeatures()
    {
        var api = await _client.GetObject("/v1/models/default/1");
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.Combine("models", "default", "1", "model.json"), TestContext.CancellationToken));
        var page = await _browser.OpenAsync(Url("/models/default/1"));

        // Independent of the service: model.json, written by training beside the ONNX file, states the same range and hash.
        Assert.AreEqual(manifest.RootElement.GetProperty("training_range").GetString(), await page.Locator("#training-range").TextContentAsync());
        Assert.AreEqual(manifest.RootElement.GetProperty("sha256").GetString(), await page.Locator("#sha256").TextContentAsync());
        Assert.AreEqual(api["sha256"]!.GetValue<string>(), await page.Locator("#sha256").TextContentAsync());

        var metrics = api["validationMetrics"]!.AsObject();
        Assert.IsGreaterThan(0, metrics.Count);
        foreach (var (name, value) in metrics)
        {
            var cell = page.Locator($"#metrics td[data-column='{name}']");
            var apiValue = value!.GetValue<double>();
            Assert.AreEqual(apiValue, double.Parse((await cell.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture), name);
            AssertShown(apiValue, await cell.TextContentAsync(), name);
            var fromManifest = manifest.RootElement.GetProperty("validation_metrics").GetProperty(name).GetDouble();
            Assert.AreEqual(fromManifest, apiValue, 1e-6, $"{name}: model.json and the ONNX metadata disagree");
        }

        var features = await page.Locator("#features tbody tr td:nth-child(2)").AllTextContentsAsync();
        CollectionAssert.AreEqual(api["features"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToArray(), features.ToArray());
        Assert.HasCount(manifest.RootElement.GetProperty("feature_spec").GetProperty("features").GetArrayLength(), features);
        await page.CloseAsync();
    }

    [TestMethod]
    public async Task ComparisonPage_CompareRun_LeaderboardAndFrontierMatchApiAndResultsFile()
    {
        var api = await _client.GetObject($"/v1/comparisons/{_comparisonId}");
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_results, "synthetic", "results.json"), TestContext.CancellationToken));
        var strategies = file.RootElement.GetProperty("strategies").EnumerateArray().ToArray();
        var page = await _browser.OpenAsync(Url($"/comparisons/{_comparisonId}"));

        var rows = await page.Locator("#leaderboard tbody tr").AllAsync();
        var apiRows = api["rows"]!.AsArray();
        Assert.HasCount(strategies.Length, rows);
        Assert.HasCount(strategies.Length, apiRows);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = await rows[i].Locator("td").AllTextContentsAsync();
            Assert.AreEqual(strategies[i].GetProperty("allocator").GetString(), cells[0]);
            Assert.AreEqual(strategies[i].GetProperty("policy").GetString(), cells[1]);
            foreach (var column in new[] { "sharpe", "costs", "tracking_error", "max_drawdown", "turnover", "final_equity" })
            {
                var cell = rows[i].Locator($"td[data-column='{column}']");
                var exact = double.Parse((await cell.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
                Assert.AreEqual(apiRows[i]!["values"]![column]!.GetValue<double>(), exact, $"row {i} {column}: page vs API");
                Assert.AreEqual(strategies[i].GetProperty(column).GetDouble(), exact, $"row {i} {column}: page vs results.json");
                AssertShown(exact, await cell.TextContentAsync(), $"row {i} {column}");
            }
        }

        // The frontier, by brute force from the file: a row is on it when no other row is at least as good on both axes and better on one.
        var points = strategies.Select(s => (Cost: s.GetProperty("costs").GetDouble(), Te: s.GetProperty("tracking_error").GetDouble())).ToArray();
        var expected = points.Select(p => !points.Any(q => q.Cost <= p.Cost && q.Te <= p.Te && (q.Cost < p.Cost || q.Te < p.Te))).ToArray();
        CollectionAssert.AreEqual(expected, apiRows.Select(r => r!["onFrontier"]!.GetValue<bool>()).ToArray());
        CollectionAssert.AreEqual(expected.Select(e => e ? "yes" : "").ToArray(), (await page.Locator("#leaderboard tbody tr td:nth-child(3)").AllTextContentsAsync()).ToArray());
        Assert.AreEqual(expected.Count(e => e), await page.Locator("figure[data-chart=frontier] [data-frontier=true]").CountAsync());
        Assert.AreEqual(strategies.Length, await page.Locator("figure[data-chart=frontier] [data-frontier]").CountAsync());

        // Each marker sits where ScottPlot drew its point: x grows with tracking error, y (downwards) shrinks with cost.
        var markers = await page.Locator("figure[data-chart=frontier] [data-frontier]").EvaluateAllAsync<double[][]>(
            "ms => ms.map(m => [+m.dataset.x, +m.dataset.y, m.cx.baseVal.value, m.cy.baseVal.value])");
        CollectionAssert.AreEquivalent(points.Select(p => p.Te).ToArray(), markers.Select(m => m[0]).ToArray());
        Assert.IsLessThan(markers.MaxBy(m => m[0])![2], markers.MinBy(m => m[0])![2], "the smallest tracking error drawn left of the largest");
        Assert.IsGreaterThan(markers.MaxBy(m => m[1])![3], markers.MinBy(m => m[1])![3], "the smallest cost drawn below the largest");
        foreach (var a in markers)
        {
            foreach (var b in markers.Where(b => b[0] < a[0]))
            {
                Assert.IsLessThanOrEqualTo(a[2], b[2], $"tracking error {b[0]} < {a[0]} drawn left of it (or on the same pixel)");
            }

            foreach (var b in markers.Where(b => b[1] < a[1]))
            {
                Assert.IsGreaterThanOrEqualTo(a[3], b[3], $"cost {b[1]} < {a[1]} drawn below it (or on the same pixel)");
            }
        }
        await page.CloseAsync();
    }

    [TestMethod]
    public async Task ComparisonPage_ClickSharpeHeader_SortsAscendingThenDescending()
    {
        var page = await _browser.OpenAsync(Url($"/comparisons/{_comparisonId}"));
        var header = page.Locator("#leaderboard th", new() { HasText = "sharpe" }).First;
        var column = page.Locator("#leaderboard tbody td[data-column='sharpe']");

        await header.ClickAsync();
        var ascending = await SharpesAsync(column);
        await header.ClickAsync();
        var descending = await SharpesAsync(column);

        CollectionAssert.AreEqual(ascending.Order().ToArray(), ascending);
        CollectionAssert.AreEqual(ascending.Reverse().ToArray(), descending);
        Assert.AreEqual("descending", await header.GetAttributeAsync("aria-sort"));
        await page.CloseAsync();
    }

    [TestMethod]
    public async Task ComparisonsPage_TruncatedResultsFile_ListsItWithPathAndReason()
    {
        var api = await _client.GetObject("/v1/comparisons");
        var broken = api["results"]!.AsArray().Single(r => r!["error"] is not null)!;
        var page = await _browser.OpenAsync(Url("/comparisons"));

        var row = page.Locator($"#results tr[data-id='{broken["id"]!.GetValue<string>()}']");
        var error = await row.Locator("td.error").TextContentAsync();
        Assert.AreEqual(broken["error"]!.GetValue<string>(), error);
        StringAssert.Contains(error, Path.Combine(_results, "broken", "results.json"));
        Assert.AreEqual(2, await page.Locator("#results tbody tr").CountAsync());
        await page.CloseAsync();
    }

    [TestMethod]
    public async Task AlertsPanel_TamperedModel_ShowsTheAlertsTheApiReturns()
    {
        var api = await _client.GetObject("/v1/alerts");
        var page = await _browser.OpenAsync(Url("/"));

        var names = api["firing"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToArray();
        CollectionAssert.AreEqual(new[] { "PredictiveModelsRefused" }, names, "a model was refused, readiness is fine");
        CollectionAssert.AreEqual(names, (await page.Locator("#alerts li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.alert)")).ToArray());
        StringAssert.Contains(await page.Locator("#alerts li").First.TextContentAsync(), "tampered/1");
        await page.CloseAsync();
    }

    [TestMethod]
    public async Task AdminReload_FromThePageWithoutAndWithKey_RefusedThenDone()
    {
        var page = await _browser.OpenAsync(Url("/models"));
        var output = page.Locator(".admin output");
        var reload = page.Locator("button[data-action='/v1/models/reload']");

        await reload.ClickAsync();
        await Assertions.Expect(output).ToContainTextAsync("401");
        await page.Locator(".admin input[type=password]").FillAsync(ServiceFactory.AdminKey);
        await reload.ClickAsync();
        await Assertions.Expect(output).ToContainTextAsync("200");
        await page.CloseAsync();
    }

    private static Uri Url(string path) => new(_client.BaseAddress!, path);

    private static async Task<double[]> SharpesAsync(ILocator cells) =>
        [.. (await cells.EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)")).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];

    // The page shows six significant digits of the exact value.
    private static void AssertShown(double expected, string? shown, string what)
    {
        Assert.IsNotNull(shown, what);
        var value = double.Parse(shown, CultureInfo.InvariantCulture);
        Assert.AreEqual(expected, value, Math.Abs(expected) * 5e-6, $"{what}: shows {shown} for {expected}");
    }
}
