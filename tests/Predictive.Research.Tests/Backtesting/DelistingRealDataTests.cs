using System.Globalization;
using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Research.Tests.Cli;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Backtesting;

/// <summary>
/// The rule for assets that stop trading on crypto-daily.csv with LINK's rows cut 30 days before the end, for every
/// allocator and the bundled ONNX model, against a hand computation from the file's own rows. Inconclusive only when
/// ../shared/data is absent.
/// </summary>
[TestClass]
public sealed class DelistingRealDataTests
{
    private static string? _cut;

    [ClassInitialize]
    public static void CutOnce(TestContext context)
    {
        _ = context;
        var data = RepositoryPaths.SharedData("crypto-daily.csv");
        _cut = data is null ? null : CompareDelistingTests.CutFile(data, "LINK", 30);
    }

    [ClassCleanup]
    public static void DeleteCut()
    {
        if (_cut is not null)
        {
            File.Delete(_cut);
        }
    }

    [TestMethod]
    [DataRow("equal")]
    [DataRow("inverse-vol")]
    [DataRow("risk-parity")]
    [DataRow("min-variance")]
    [DataRow("max-sharpe")]
    [DataRow("hrp")]
    [DataRow("models/default/1")]
    public async Task RunAsync_LinkStopsTrading_TargetZeroLastPriceThenWrittenOff(string allocator)
    {
        if (_cut is null)
        {
            Prerequisites.Missing("the shared data file crypto-daily.csv is absent", "put the shared data beside the repository (../shared/data)");
        }

        var panel = MarketDataFile.Read(_cut);
        // Start a year before the end: the rule is the same, and seven runs over the whole file would be slow.
        var start = panel.BarCount - 365;
        var result = await DelistingTests.RunAllocatorAsync(panel, allocator, start, PolicySpec.Band(0.05));

        // By hand from the rows: LINK's last close (2024-01-21) is carried 5 bars to 2024-01-26, whose USDC close converts it.
        var rows = File.ReadLines(_cut).Skip(1).Select(l => l.Split(',')).ToList();
        double Close(string day, string symbol) => double.Parse(rows.Single(f => f[0] == day && f[1] == symbol)[5], CultureInfo.InvariantCulture);
        var lastPrice = Close("2024-01-21", "LINK") / Close("2024-01-26", "USDC");
        var firstUnpriced = panel.BarAtOrBefore(new DateTimeOffset(2024, 1, 27, 0, 0, 0, TimeSpan.Zero)) - start;
        var link = result.Assets.ToList().IndexOf("LINK");
        if (allocator == "equal")
        {
            Assert.IsGreaterThan(0, result.QuantitiesAt(firstUnpriced)[link], "1/N holds LINK when it stops trading");
        }

        DelistingTests.AssertRuleHeld(result, link, lastPrice, firstUnpriced, 20);
    }
}
