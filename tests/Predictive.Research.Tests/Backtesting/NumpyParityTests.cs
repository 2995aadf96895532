using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Predictive.Core.Backtesting;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Backtesting;

/// <summary>
/// The backtester and the numpy reference (<c>bench/numpy/backtest.py</c>) run the same backtest (band, band-l1,
/// calendar or full policy) on the same exported data and must end with the same equity and the same number of swaps.
/// </summary>
[TestClass]
public sealed class NumpyParityTests
{
    private const string Python = "/usr/bin/python3";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(0.01)]
    [DataRow(0.002)]
    public async Task BandBacktest_SameDataInNumpy_SameFinalEquity(double band) =>
        await AssertSameAsNumpyAsync(PolicySpec.Band(band), string.Create(CultureInfo.InvariantCulture, $"\"band\": {band}"));

    [TestMethod]
    [DataRow("band-l1:0.02", "\"policy\": \"band-l1\", \"band\": 0.02")]
    [DataRow("calendar:24", "\"policy\": \"calendar\", \"every\": 24")]
    [DataRow("full", "\"policy\": \"full\"")]
    public async Task OtherPolicyBacktest_SameDataInNumpy_SameFinalEquity(string policy, string numpyPolicy) =>
        await AssertSameAsNumpyAsync(PolicySpec.Parse(policy), numpyPolicy);

    private async Task AssertSameAsNumpyAsync(PolicySpec policy, string numpyPolicy)
    {
        if (!File.Exists(Python) || !await CanImportNumpyAsync())
        {
            Prerequisites.Missing($"{Python} with numpy is not available", "run eng/install-python-deps.sh (Debian python3-numpy)");
        }

        var market = new BacktestMarket(Some.RandomWalk(20, 3_000, 11));
        var result = await new Backtester(market, new BacktestOptions { StartBar = 0, InitialValueQuote = 1_000_000m }).RunAsync(FixedTargets.Equal(20), policy);
        var dir = Path.Combine(Path.GetTempPath(), "predictive-parity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await ExportAsync(market, numpyPolicy, dir);
            var output = await RunPythonAsync(RepositoryPaths.Combine("bench", "numpy", "backtest.py"), dir, Path.Combine(dir, "params.json"), "1");
            using var doc = JsonDocument.Parse(output);
            var numpyEquity = doc.RootElement.GetProperty("final_equity").GetDouble();
            var numpyTrades = doc.RootElement.GetProperty("trades").GetInt32();
            TestContext.WriteLine($"{policy.Name} C#: {result.FinalEquity:R} ({result.Trades.Count} swaps); numpy: {numpyEquity:R} ({numpyTrades} swaps)");
            Assert.IsGreaterThan(100, result.Trades.Count);
            Assert.AreEqual(result.Trades.Count, numpyTrades);
            Assert.AreEqual(result.FinalEquity, numpyEquity, 1e-8 * result.FinalEquity);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task ExportAsync(BacktestMarket market, string numpyPolicy, string dir)
    {
        var n = market.Assets.Count;
        var bars = market.Panel.BarCount;
        var prices = new byte[bars * n * sizeof(double)];
        var gas = new byte[bars * sizeof(double)];
        for (var t = 0; t < bars; t++)
        {
            Buffer.BlockCopy(market.Prices(t).ToArray(), 0, prices, t * n * sizeof(double), n * sizeof(double));
            BitConverter.TryWriteBytes(gas.AsSpan(t * sizeof(double)), market.GasPerSwapQuote(t));
        }

        await File.WriteAllBytesAsync(Path.Combine(dir, "prices.bin"), prices);
        await File.WriteAllBytesAsync(Path.Combine(dir, "gas.bin"), gas);
        await File.WriteAllTextAsync(Path.Combine(dir, "params.json"), string.Create(CultureInfo.InvariantCulture,
            $$"""{"bars": {{bars}}, "assets": {{n}}, {{numpyPolicy}}, "initial": 1000000, "depth": {{market.VenueOptions.FixedDepthQuote}}, "fee_bps": {{market.CostModel.Options.PoolFeeBps}}, "min_trade": {{market.PlannerOptions.MinTradeQuote}}, "max_impact_bps": {{market.PlannerOptions.MaxPriceImpactBps}}}"""));
    }

    private static async Task<bool> CanImportNumpyAsync()
    {
        try
        {
            await RunPythonAsync("-c", "import numpy");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<string> RunPythonAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"python exited {process.ExitCode}: {await stderr}");
    }
}
