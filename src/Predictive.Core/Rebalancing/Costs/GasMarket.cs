using System.Globalization;
using Predictive.Core.MarketData;

namespace Predictive.Core.Rebalancing.Costs;

/// <summary>
/// Resolves the gas price and the native token's price at a time: from a gas price series (for example the daily
/// average in <c>eth-gas-daily.csv</c>, symbol <see cref="DefaultGasSymbol"/>, close in gwei) and a market panel when
/// they cover the time, otherwise from <see cref="SwapCostOptions"/>.
/// </summary>
/// <remarks>
/// Only completed bars are read: at time <c>t</c> the value is the close of the last bar whose end (open + interval)
/// is at or before <c>t</c>, so a backtest never uses a day's average gas price before the day is over.
/// After the series ends its last value is carried forward; before it starts the configured value is used.
/// </remarks>
public sealed class GasMarket
{
    /// <summary>The symbol of the daily average gas price series.</summary>
    public const string DefaultGasSymbol = "ETH-AVG-GAS-PRICE-GWEI";

    private readonly SwapCostOptions _options;
    private readonly PricePanel? _gas;
    private readonly int _gasColumn;
    private readonly PricePanel? _market;
    private readonly int _nativeColumn = -1;

    /// <summary>Creates the resolver.</summary>
    /// <param name="options">Fallback gas and native prices.</param>
    /// <param name="gasPrices">An optional panel holding the gas price series (gwei).</param>
    /// <param name="market">An optional market panel; its <see cref="SwapCostOptions.NativeTokenSymbol"/> column prices gas.</param>
    /// <param name="gasSymbol">The gas series' symbol in <paramref name="gasPrices"/>.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="gasPrices"/> lacks <paramref name="gasSymbol"/>.</exception>
    public GasMarket(SwapCostOptions options, PricePanel? gasPrices = null, PricePanel? market = null, string gasSymbol = DefaultGasSymbol)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _gas = gasPrices;
        _gasColumn = gasPrices?.IndexOf(gasSymbol) ?? -1;
        if (market is not null && market.TryGetIndex(options.NativeTokenSymbol, out var native))
        {
            _market = market;
            _nativeColumn = native;
        }
    }

    /// <summary>A resolver with the configured constant prices only.</summary>
    public static GasMarket Constant(SwapCostOptions options) => new(options);

    /// <summary>Reads the gas series from a market data file (for example <c>/work/shared/data/eth-gas-daily.csv</c>).</summary>
    /// <exception cref="MarketDataException">The file cannot be read.</exception>
    public static async Task<GasMarket> FromFileAsync(string path, SwapCostOptions options, PricePanel? market = null, CancellationToken cancellationToken = default)
    {
        var gas = await MarketDataFile.ReadAsync(path, MarketDataReadOptions.Default with { Interval = BarInterval.Daily }, cancellationToken);
        return new GasMarket(options, gas, market);
    }

    /// <summary>The gas quote at <paramref name="time"/>.</summary>
    public GasQuote At(DateTimeOffset time)
    {
        var (gwei, gasSource) = Lookup(_gas, _gasColumn, time, _options.GasPriceGwei, "gas series");
        var (native, nativeSource) = Lookup(_market, _nativeColumn, time, _options.NativeTokenPriceQuote, _options.NativeTokenSymbol + " close");
        return new GasQuote(gwei, native, gasSource, nativeSource);
    }

    private static (double Value, string Source) Lookup(PricePanel? panel, int column, DateTimeOffset time, double fallback, string what)
    {
        if (panel is null || column < 0)
        {
            return (fallback, "configured");
        }

        var close = panel.Close(column);
        for (var bar = panel.BarAtOrBefore(time - panel.Interval.Length); bar >= 0; bar--)
        {
            if (double.IsFinite(close[bar]) && close[bar] >= 0)
            {
                return (close[bar], string.Create(CultureInfo.InvariantCulture, $"{what} {panel.Timestamps[bar]:yyyy-MM-dd HH:mm}"));
            }
        }

        return (fallback, "configured");
    }
}
