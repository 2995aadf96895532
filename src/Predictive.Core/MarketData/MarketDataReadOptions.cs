namespace Predictive.Core.MarketData;

/// <summary>How a market data file is read.</summary>
public sealed record MarketDataReadOptions
{
    /// <summary>The defaults: detect the format, infer the interval, <see cref="MissingDataPolicy.Default"/>, quote asset USDT.</summary>
    public static MarketDataReadOptions Default { get; } = new();

    /// <summary>The missing-data rule applied when the panel is assembled. The default value is <see cref="MissingDataPolicy.Default"/>.</summary>
    public MissingDataPolicy Policy { get; init; } = MissingDataPolicy.Default;

    /// <summary>The expected bar interval; when null it is inferred from the data (all symbols must agree).</summary>
    public BarInterval? Interval { get; init; }

    /// <summary>The format; when null it is chosen from the file extension and, for CSV, the header.</summary>
    public MarketDataFormat? Format { get; init; }

    /// <summary>
    /// The asset symbol for single-symbol formats (Binance klines). When null it is taken from the file name
    /// (<c>BTCUSDT-1d-2024-01.csv</c> gives <c>BTC</c>).
    /// </summary>
    public string? Symbol { get; init; }

    /// <summary>The quote asset stripped from an exchange pair name to get the symbol. The default value is <c>USDT</c>.</summary>
    public string QuoteAsset { get; init; } = "USDT";
}

/// <summary>The market data file formats that can be read (and, for long CSV and Parquet, written).</summary>
public enum MarketDataFormat
{
    /// <summary>Long CSV: <c>timestamp,symbol,open,high,low,close,volume</c>, one row per symbol and bar.</summary>
    LongCsv,

    /// <summary>The Binance kline CSV of data.binance.vision: 12 columns, one symbol per file, with or without header.</summary>
    BinanceKlineCsv,

    /// <summary>The JSON array of 12-element arrays returned by Binance's <c>GET /api/v3/klines</c>.</summary>
    BinanceKlineJson,

    /// <summary>Parquet in the long layout (<c>timestamp, symbol, open, high, low, close, volume</c>).</summary>
    Parquet,
}
