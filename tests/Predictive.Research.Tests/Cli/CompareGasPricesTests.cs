using Predictive.Tests.Shared;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Predictive.Cli;

namespace Predictive.Research.Tests.Cli;

/// <summary><c>predictive compare --gas-prices</c>: each bar pays the gas of the last completed day in the history.</summary>
[TestClass]
public sealed class CompareGasPricesTests
{
    [TestMethod]
    public async Task Compare_GasHistory_EachBarPaysThatDaysGas()
    {
        using var dir = new TempDir();
        var same = dir.Write("gas-30.csv", GasCsv(_ => 30));
        var tenfold = dir.Write("gas-300.csv", GasCsv(_ => 300));

        var constant = await GasCostsAsync(dir, null);
        var fromSameHistory = await GasCostsAsync(dir, same);
        var fromTenfold = await GasCostsAsync(dir, tenfold);

        // 30 gwei every day is the configured default: the same backtest to the last digit.
        Assert.AreEqual(constant.Equity, fromSameHistory.Equity);
        Assert.AreEqual(constant.Gas, fromSameHistory.Gas);
        Assert.IsInRange(9.0, 11.0, fromTenfold.Gas / constant.Gas, "ten times the gas price, about ten times the gas paid");
        Assert.Contains("gas-300.csv", fromTenfold.Description);
    }

    [TestMethod]
    public async Task Compare_RealGasHistory_ChargesMoreThanTheDefault()
    {
        var realGasFile = Prerequisites.SharedData("eth-gas-daily.csv");
        using var dir = new TempDir();
        var constant = await GasCostsAsync(dir, null);
        var real = await GasCostsAsync(dir, realGasFile);

        // The synthetic market runs from 2020, when the daily average gas price was far above the default 30 gwei.
        Assert.IsGreaterThan(constant.Gas * 1.5, real.Gas);
        Assert.Contains("eth-gas-daily.csv (2015-08-07T00:00:00Z to 2022-01-01T00:00:00Z", real.Description);
    }

    [TestMethod]
    [DataRow("missing", "does not exist")]
    [DataRow("timestamp,symbol,close\n2020-01-01,BTC-GAS,30\n2020-01-02,BTC-GAS,31\n", "has no ETH-AVG-GAS-PRICE-GWEI series (its symbols: BTC-GAS)")]
    [DataRow("timestamp,symbol,close\n2020-01-01,ETH-AVG-GAS-PRICE-GWEI,30\n2020-01-02,ETH-AVG-GAS-PRICE-GWEI,-5\n", "gas.csv:3: close -5 must be a positive finite price")]
    [DataRow("when,what\n2020-01-01,30\n", "--gas-prices: ")]
    public async Task Compare_BadGasHistory_FailsWithAClearMessage(string content, string message)
    {
        using var dir = new TempDir();
        var file = content == "missing" ? Path.Combine(dir.Path, "nope.csv") : dir.Write("gas.csv", content);
        var (exit, _, stderr) = await CompareCommandTests.RunAsync("compare", "--gas-prices", file, "--out", Path.Combine(dir.Path, "out"));
        Assert.AreEqual(CliApp.UserError, exit, stderr);
        Assert.Contains(message, stderr);
    }

    private static async Task<(double Gas, double Equity, string Description)> GasCostsAsync(TempDir dir, string? gasFile)
    {
        var output = Path.Combine(dir.Path, "out-" + Guid.NewGuid().ToString("N"));
        string[] args = ["compare", "--data", "synthetic", "--allocators", "equal", "--policies", "calendar:7", "--out", output, "--json", "--seed", "3"];
        var (exit, stdout, stderr) = await CompareCommandTests.RunAsync(gasFile is null ? args : [.. args, "--gas-prices", gasFile]);
        Assert.AreEqual(0, exit, stderr);
        using var rows = JsonDocument.Parse(stdout);
        var row = rows.RootElement[0];
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        return (row.GetProperty("costs_gas").GetDouble(), row.GetProperty("final_equity").GetDouble(), results.RootElement.GetProperty("description").GetString()!);
    }

    /// <summary>A daily gas history from 2019-06-01 to 2024-12-31 (around the synthetic market, which starts in 2020).</summary>
    private static string GasCsv(Func<DateTime, double> gwei)
    {
        var csv = new StringBuilder("timestamp,symbol,close\n");
        for (var d = new DateTime(2019, 6, 1, 0, 0, 0, DateTimeKind.Utc); d <= new DateTime(2024, 12, 31, 0, 0, 0, DateTimeKind.Utc); d = d.AddDays(1))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd},ETH-AVG-GAS-PRICE-GWEI,{gwei(d)}\n");
        }

        return csv.ToString();
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("predictive-gas-").FullName;

        public string Write(string name, string content)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, content);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
