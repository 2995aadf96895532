namespace Predictive.Core.Rebalancing.Costs;

/// <summary>The gas price and native-token price in force at one time, and where each came from.</summary>
/// <param name="GasPriceGwei">Gas price in gwei (10⁻⁹ native token per gas unit).</param>
/// <param name="NativeTokenPriceQuote">The native token's price in quote units.</param>
/// <param name="GasPriceSource">Where the gas price came from (the series and its date, or "configured").</param>
/// <param name="NativePriceSource">Where the native price came from (the panel and its date, or "configured").</param>
public sealed record GasQuote(double GasPriceGwei, double NativeTokenPriceQuote, string GasPriceSource, string NativePriceSource)
{
    /// <summary>The cost in native token of <paramref name="gasUnits"/>: units × gwei × 10⁻⁹.</summary>
    public decimal CostNative(long gasUnits) => gasUnits * (decimal)GasPriceGwei * 1e-9m;

    /// <summary>The cost in quote units of <paramref name="gasUnits"/>: units × gwei × 10⁻⁹ × native price.</summary>
    public decimal CostQuote(long gasUnits) => CostNative(gasUnits) * (decimal)NativeTokenPriceQuote;
}
