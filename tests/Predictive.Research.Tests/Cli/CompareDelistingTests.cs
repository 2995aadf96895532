using System.Text.Json;
using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Cli;

/// <summary>
/// <c>predictive compare</c> on data where one asset's rows end 30 days before the others' (issue 11 §2): every
/// allocator and the bundled ONNX model run to the end, and results.json reports what happened to the asset.
/// </summary>
[TestClass]
public sealed class CompareDelistingTests
{
    internal static readonly string[] Allocators = ["equal", "inverse-vol", "risk-parity", "min-variance", "max-sharpe", "hrp"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Compare_RealDataWithLinkCut30DaysEarly_RunsEveryAllocatorAndReportsLink()
    {
        var data = Prerequisites.SharedData("crypto-daily.csv");

        var cut = CutFile(data, "LINK", 30);
        try
        {
            await AssertCompareReportsAsync(cut, "LINK");
        }
        finally
        {
            File.Delete(cut);
        }
    }

    [TestMethod]
    public async Task Compare_SyntheticMarketWithAnAssetCut30BarsEarly_RunsEveryAllocatorAndReportsIt()
    {
        var full = Path.Combine(Path.GetTempPath(), $"predictive-synthetic-{Guid.NewGuid():N}.csv");
        var panel = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 42 });
        await MarketDataFile.WriteAsync(panel, full, TestContext.CancellationToken);
        var cut = CutFile(full, panel.Assets[2], 30);
        try
        {
            await AssertCompareReportsAsync(cut, panel.Assets[2]);
        }
        finally
        {
            File.Delete(full);
            File.Delete(cut);
        }
    }

    /// <summary>A copy of the long CSV <paramref name="path"/> without <paramref name="symbol"/>'s rows of the last <paramref name="days"/> days, in the temp folder.</summary>
    internal static string CutFile(string path, string symbol, int days)
    {
        var lines = File.ReadAllLines(path);
        var end = lines.Skip(1).Max(l => DateTimeOffset.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
        var from = end.AddDays(-days);
        var kept = lines.Where((l, i) =>
        {
            if (i == 0)
            {
                return true;
            }

            var f = l.Split(',');
            return f[1] != symbol || DateTimeOffset.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture) <= from;
        });
        var cut = Path.Combine(Path.GetTempPath(), $"predictive-cut-{symbol}-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(cut, kept);
        return cut;
    }

    private static async Task AssertCompareReportsAsync(string data, string symbol)
    {
        var dir = Path.Combine(Path.GetTempPath(), "predictive-compare-cut-" + Guid.NewGuid().ToString("N"));
        try
        {
            var model = RepositoryPaths.Combine("models", "default", "1");
            var (exit, stdout, stderr) = await CompareCommandTests.RunAsync("compare", "--data", data, "--allocators", string.Join(',', [.. Allocators, model]), "--policies", "band:0.05", "--out", dir, "--json");

            Assert.AreEqual(0, exit, stderr);
            using var printed = JsonDocument.Parse(stdout);
            Assert.AreEqual(Allocators.Length + 1, printed.RootElement.GetArrayLength());
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "results.json")));
            var rows = results.RootElement.GetProperty("strategies").EnumerateArray().ToList();
            CollectionAssert.AreEquivalent(Allocators.Append("onnx:default/1").ToArray(), rows.Select(r => r.GetProperty("allocator").GetString()).ToArray());
            foreach (var row in rows)
            {
                var events = row.GetProperty("asset_events").EnumerateArray().Where(e => e.GetProperty("asset").GetString() == symbol).ToList();
                var name = row.GetProperty("allocator").GetString();
                var unpriced = events.Single(e => e.GetProperty("kind").GetString() == "unpriced");
                StringAssert.Contains(unpriced.GetProperty("reason").GetString(), $"{symbol} has had no price since", $"{name}: the decision's reason names the asset");
                Assert.IsTrue(double.IsFinite(row.GetProperty("final_equity").GetDouble()));
                var writtenOff = events.Where(e => e.GetProperty("kind").GetString() == "written-off").ToList();
                if (name == "equal")
                {
                    Assert.HasCount(1, writtenOff, "1/N holds the asset when it stops trading, and 25 bars without a price exceed the 20-bar write-off");
                    Assert.IsGreaterThan(0, writtenOff[0].GetProperty("value").GetDouble());
                    StringAssert.Contains(writtenOff[0].GetProperty("reason").GetString(), "written off");
                }
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
