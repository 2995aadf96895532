using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Predictive.Cli;

namespace Predictive.Research.Tests.Reporting;

/// <summary>
/// The comparison report as a reader sees it: rendered by Chromium (Debian's /usr/bin/chromium, driven by Playwright)
/// at 40 strategies (5 allocators × 8 policies).
/// </summary>
[TestClass]
public sealed class ReportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const int Highlighted = 8;
    private static string _dir = null!;
    private static JsonElement[] _ranked = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task WriteReportAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _dir = Directory.CreateTempSubdirectory("predictive-report-").FullName;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(
            ["compare", "--data", "synthetic", "--allocators", "equal,inverse-vol,risk-parity,min-variance,hrp", "--policies", "calendar:5,calendar:21,calendar:63,band:0.02,band:0.05,band:0.1,cost-band,full", "--seed", "11", "--json", "--out", _dir],
            stdout, stderr, TimeProvider.System, context.CancellationToken);
        Assert.AreEqual(0, exit, stderr.ToString());

        // The independent ranking: results.json's rows sorted by Sharpe here, not by the report.
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "results.json"), context.CancellationToken));
        _ranked = [.. results.RootElement.GetProperty("strategies").EnumerateArray().Select(e => e.Clone()).OrderByDescending(e => e.GetProperty("sharpe").GetDouble())];
        Assert.HasCount(40, _ranked);
    }

    [ClassCleanup]
    public static void DeleteReport()
    {
        if (_dir is not null && Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Report_FortyStrategies_PlotsRenderWithLegendOfTopEightOutsideTheDataArea()
    {
        await using var browser = await OpenAsync();
        var page = browser.Page;
        var top = _ranked.Take(Highlighted).Select(Label).ToArray();

        foreach (var chart in new[] { "equity", "drawdowns" })
        {
            var figure = page.Locator($"figure.plot[data-chart={chart}]");
            var svg = figure.Locator("svg");
            var box = await svg.BoundingBoxAsync();
            Assert.IsNotNull(box, $"{chart}: the plot is not rendered");
            Assert.IsGreaterThan(400, box.Width, chart);
            Assert.IsGreaterThan(150, box.Height, chart);
            Assert.IsGreaterThanOrEqualTo(40, await svg.Locator("path").CountAsync(), $"{chart}: one line per strategy");

            // Nothing in the plot names a strategy: the 40-entry legend ScottPlot drew inside it is gone.
            var svgText = await svg.TextContentAsync() ?? "";
            Assert.IsFalse(_ranked.Any(r => svgText.Contains(Label(r), StringComparison.Ordinal)), $"{chart}: a strategy is named inside the plot");

            var legend = page.Locator($"ul.legend[data-chart={chart}]");
            Assert.IsTrue(await legend.IsVisibleAsync(), $"{chart}: no legend");
            CollectionAssert.AreEqual(top, (await legend.Locator(".name").AllTextContentsAsync()).ToArray(), $"{chart}: the legend names the top {Highlighted} by Sharpe, best first");

            var legendBox = (await legend.BoundingBoxAsync())!;
            var area = DataArea(box, await figure.GetAttributeAsync("data-size"), await figure.GetAttributeAsync("data-area"));
            TestContext.WriteLine(Inv($"{chart}: data area [{area.Left:F0}, {area.Top:F0}]–[{area.Right:F0}, {area.Bottom:F0}], legend [{legendBox.X:F0}, {legendBox.Y:F0}] {legendBox.Width:F0}×{legendBox.Height:F0}"));
            Assert.IsGreaterThan(100, area.Right - area.Left, $"{chart}: data area");
            Assert.IsFalse(Overlaps(area, legendBox), $"{chart}: the legend overlaps the data area");
        }

        var frontier = await page.Locator("figure.plot[data-chart=frontier] svg").BoundingBoxAsync();
        Assert.IsNotNull(frontier, "the frontier is not rendered");
    }

    [TestMethod]
    public async Task Report_SelectorPickingAFaintStrategy_ShowsItsEquityAndWeights()
    {
        await using var browser = await OpenAsync();
        var page = browser.Page;
        var faint = Label(_ranked[^1]);

        var chosen = await page.Locator("#strategy-select").SelectOptionAsync(new SelectOptionValue { Label = faint });

        var shown = page.Locator($"#strategy-{chosen.Single()}");
        Assert.IsTrue(await shown.IsVisibleAsync(), "the chosen strategy is not shown");
        Assert.HasCount(1, await page.Locator(".strategy:visible").AllAsync(), "exactly one strategy is shown");
        foreach (var chart in new[] { "strategy-equity", "weights" })
        {
            var svg = shown.Locator($"figure[data-chart={chart}] svg");
            var box = await svg.BoundingBoxAsync();
            Assert.IsNotNull(box, chart);
            Assert.IsGreaterThan(100, box.Height, chart);
            StringAssert.Contains(await svg.TextContentAsync(), faint, $"{chart}: the title names the strategy");
        }
    }

    [TestMethod]
    public async Task Report_FortyStrategies_StatesParametersAndHoldingsPerStrategy()
    {
        await using var browser = await OpenAsync();
        var page = browser.Page;

        var command = await page.Locator("#command").TextContentAsync();
        Assert.AreEqual($"predictive compare --data synthetic --allocators equal,inverse-vol,risk-parity,min-variance,hrp --policies calendar:5,calendar:21,calendar:63,band:0.02,band:0.05,band:0.1,cost-band,full --start-bar 90 --initial 100000 --seed 11 --out {_dir}", command);
        var parameters = await page.Locator("#parameters").TextContentAsync();
        StringAssert.Contains(parameters, "synthetic market (seed 11)");
        StringAssert.Contains(parameters, "bps pool fee");

        var rows = await page.Locator("#holdings tr").AllAsync();
        Assert.HasCount(41, rows, "a header and one row per strategy");
        var equalFull = page.Locator("#holdings tr", new() { HasText = "equal × full" }).Locator("td");
        var effectiveN = double.Parse((await equalFull.Nth(3).TextContentAsync())!, CultureInfo.InvariantCulture);
        Assert.AreEqual(8.0, effectiveN, 0.05, "equal weights over 8 assets, rebalanced every bar: effective N ≈ 8");
    }

    private static string Label(JsonElement row) => $"{row.GetProperty("allocator").GetString()} × {row.GetProperty("policy").GetString()}";

    /// <summary>Maps the figure's data area (SVG pixels) to page pixels with the SVG's rendered box.</summary>
    private static (double Left, double Top, double Right, double Bottom) DataArea(LocatorBoundingBoxResult svg, string? size, string? area)
    {
        var s = size!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var a = area!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var kx = svg.Width / s[0];
        var ky = svg.Height / s[1];
        return (svg.X + (a[0] * kx), svg.Y + (a[1] * ky), svg.X + (a[2] * kx), svg.Y + (a[3] * ky));
    }

    private static bool Overlaps((double Left, double Top, double Right, double Bottom) a, LocatorBoundingBoxResult b) =>
        a.Left < b.X + b.Width && b.X < a.Right && a.Top < b.Y + b.Height && b.Y < a.Bottom;

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private async Task<ReportPage> OpenAsync()
    {
        Assert.IsTrue(File.Exists(Chromium), $"{Chromium} is missing; run eng/bootstrap.sh (apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        await page.GotoAsync(new Uri(Path.Combine(_dir, "report.html")).AbsoluteUri);
        TestContext.CancellationToken.ThrowIfCancellationRequested();
        return new ReportPage(playwright, browser, page);
    }

    private sealed record ReportPage(IPlaywright Playwright, IBrowser Browser, IPage Page) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }
}
