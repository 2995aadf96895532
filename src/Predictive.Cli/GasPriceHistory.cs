using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Cli;

/// <summary>
/// The <c>--gas-prices</c> argument: a gas price history (for example <c>eth-gas-daily.csv</c>: <c>timestamp,symbol,close</c>,
/// symbol <see cref="GasMarket.DefaultGasSymbol"/>, close = the day's average gas price in gwei) read into a
/// <see cref="GasMarket"/> that prices each bar's gas at the last completed day's average.
/// </summary>
public static class GasPriceHistory
{
    /// <summary>Reads the file and checks it covers something useful.</summary>
    /// <param name="path">The file.</param>
    /// <param name="costs">Fallback gas and native-token prices (before the series starts, or without an ETH close).</param>
    /// <param name="market">The market panel; its ETH close prices the gas.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The gas market, a sentence for reports, and a warning when the series misses the market's range.</returns>
    /// <exception cref="CliException">The file is missing, malformed (the reader also refuses prices that are not positive and finite), or lacks the gas series.</exception>
    public static async Task<(GasMarket Gas, string Description, string? Warning)> LoadAsync(string path, SwapCostOptions costs, PricePanel market, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(market);
        if (!File.Exists(path))
        {
            throw new CliException($"--gas-prices: '{path}' does not exist. Give a CSV of timestamp,symbol,close with the daily average gas price in gwei (symbol {GasMarket.DefaultGasSymbol}), such as eth-gas-daily.csv.");
        }

        PricePanel gas;
        try
        {
            gas = await MarketDataFile.ReadAsync(path, MarketDataReadOptions.Default with { Interval = BarInterval.Daily }, cancellationToken).ConfigureAwait(false);
        }
        catch (MarketDataException e)
        {
            throw new CliException($"--gas-prices: {e.Message}");
        }

        if (!gas.TryGetIndex(GasMarket.DefaultGasSymbol, out _) || gas.BarCount == 0)
        {
            throw new CliException($"--gas-prices: '{path}' has no {GasMarket.DefaultGasSymbol} series (its symbols: {string.Join(", ", gas.Assets)}); the gas price history needs that symbol with the close in gwei.");
        }

        var from = DataSources.Iso(gas.Timestamps[0]);
        var to = DataSources.Iso(gas.Timestamps[^1]);
        string? warning = null;
        if (market.BarCount > 0 && (gas.Timestamps[^1] < market.Timestamps[0] || gas.Timestamps[0] > market.Timestamps[^1]))
        {
            warning = FormattableString.Invariant($"the gas price history {Path.GetFileName(path)} ({from} to {to}) does not overlap the market ({DataSources.Iso(market.Timestamps[0])} to {DataSources.Iso(market.Timestamps[^1])}); bars before it use {costs.GasPriceGwei} gwei and bars after it its last value.");
        }

        var description = FormattableString.Invariant($"the daily average gas price from {Path.GetFileName(path)} ({from} to {to}; {costs.GasPriceGwei} gwei before it, its last value after it)");
        return (new GasMarket(costs, gas, market), description, warning);
    }
}
