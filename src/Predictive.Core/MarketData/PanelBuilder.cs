using System.Globalization;

namespace Predictive.Core.MarketData;

/// <summary>
/// Assembles a <see cref="PricePanel"/> from bars arriving one at a time (as a reader streams a file), validating each
/// bar and applying the <see cref="MissingDataPolicy"/> once at the end.
/// </summary>
/// <remarks>
/// Bars of one symbol must arrive in strictly increasing time; symbols may interleave freely (a long file sorted by
/// time, or one file per symbol). Every problem is reported as a <see cref="MarketDataException"/> naming the source,
/// the line and the problem.
/// </remarks>
public sealed class PanelBuilder
{
    private readonly string _source;
    private readonly MissingDataPolicy _policy;
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly bool _hasOhlc;
    private readonly bool _hasVolume;

    /// <summary>Creates a builder for bars read from <paramref name="source"/>.</summary>
    /// <param name="source">The file or URL, used in error messages.</param>
    /// <param name="hasOhlc">Whether every bar carries open, high and low.</param>
    /// <param name="hasVolume">Whether every bar carries a volume.</param>
    /// <param name="policy">The missing-data rule; <see cref="MissingDataPolicy.Default"/> when null.</param>
    public PanelBuilder(string source, bool hasOhlc, bool hasVolume, MissingDataPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _hasOhlc = hasOhlc;
        _hasVolume = hasVolume;
        _policy = policy ?? MissingDataPolicy.Default;
    }

    /// <summary>The number of bars added so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Adds one bar. Fields the builder was told are absent are ignored.</summary>
    /// <param name="line">The 1-based line (or record number) in the source, for error messages.</param>
    /// <param name="timestamp">The bar-open time.</param>
    /// <param name="symbol">The asset symbol.</param>
    /// <param name="open">Open price (NaN when absent).</param>
    /// <param name="high">High price (NaN when absent).</param>
    /// <param name="low">Low price (NaN when absent).</param>
    /// <param name="close">Close price.</param>
    /// <param name="volume">Volume in quote currency (NaN when absent or unknown for this bar).</param>
    /// <exception cref="MarketDataException">The bar is invalid or out of order.</exception>
    public void Add(long line, DateTimeOffset timestamp, string symbol, double open, double high, double low, double close, double volume)
    {
        if (string.IsNullOrWhiteSpace(symbol))
        {
            throw Error(line, "the symbol is empty.");
        }

        CheckPrice(line, "close", close);
        if (_hasOhlc)
        {
            CheckPrice(line, "open", open);
            CheckPrice(line, "high", high);
            CheckPrice(line, "low", low);
            var tolerance = 1e-9 * high;
            if (low > Math.Min(open, close) + tolerance || high < Math.Max(open, close) - tolerance)
            {
                throw Error(line, string.Create(CultureInfo.InvariantCulture,
                    $"{symbol} bar is inconsistent: low {low} and high {high} must bracket open {open} and close {close}."));
            }
        }

        // A NaN volume is an unknown volume (real exports contain "nan"); it stays NaN and the bar still counts.
        if (_hasVolume && !double.IsNaN(volume) && !(double.IsFinite(volume) && volume >= 0))
        {
            throw Error(line, string.Create(CultureInfo.InvariantCulture, $"volume {volume} must be a finite number ≥ 0 (or NaN when unknown)."));
        }

        if (!_series.TryGetValue(symbol, out var s))
        {
            s = new Series();
            _series.Add(symbol, s);
        }

        var ticks = timestamp.UtcTicks;
        if (s.Ticks.Count > 0)
        {
            var last = s.Ticks[^1];
            if (ticks == last)
            {
                throw Error(line, $"duplicate bar: {symbol} at {timestamp.UtcDateTime:O} already appeared on line {s.Lines[^1]}.");
            }

            if (ticks < last)
            {
                throw Error(line, $"rows are not sorted: {symbol} at {timestamp.UtcDateTime:O} comes after {new DateTime(last, DateTimeKind.Utc):O} (line {s.Lines[^1]}).");
            }
        }

        s.Ticks.Add(ticks);
        s.Lines.Add(line);
        s.Close.Add(close);
        if (_hasOhlc)
        {
            s.Open.Add(open);
            s.High.Add(high);
            s.Low.Add(low);
        }

        if (_hasVolume)
        {
            s.Volume.Add(volume);
        }

        RowCount++;
    }

    /// <summary>Builds the aligned panel.</summary>
    /// <param name="interval">The expected interval; when null it is inferred and every symbol must agree.</param>
    /// <exception cref="MarketDataException">There is no data, or the intervals are mixed.</exception>
    public PricePanel Build(BarInterval? interval = null)
    {
        if (_series.Count == 0)
        {
            throw new MarketDataException(_source, null, "the input has no data rows.");
        }

        var symbols = _series.Keys.Order(StringComparer.Ordinal).ToArray();
        var barInterval = interval ?? InferInterval(symbols);
        CheckSpacing(symbols, barInterval);

        var axis = _series.Values.SelectMany(s => s.Ticks).Distinct().Order().ToArray();
        var n = axis.Length;
        var close = new double[symbols.Length][];
        var open = _hasOhlc ? new double[symbols.Length][] : null;
        var high = _hasOhlc ? new double[symbols.Length][] : null;
        var low = _hasOhlc ? new double[symbols.Length][] : null;
        var volume = _hasVolume ? new double[symbols.Length][] : null;
        var observed = new bool[symbols.Length][];

        for (var a = 0; a < symbols.Length; a++)
        {
            var s = _series[symbols[a]];
            close[a] = NaNs(n);
            observed[a] = new bool[n];
            if (open is not null)
            {
                open[a] = NaNs(n);
                high![a] = NaNs(n);
                low![a] = NaNs(n);
            }

            if (volume is not null)
            {
                volume[a] = NaNs(n);
            }

            var j = 0;
            var lastRow = -1;
            var filled = 0;
            for (var t = 0; t < n; t++)
            {
                if (j < s.Ticks.Count && s.Ticks[j] == axis[t])
                {
                    close[a][t] = s.Close[j];
                    if (open is not null)
                    {
                        open[a][t] = s.Open[j];
                        high![a][t] = s.High[j];
                        low![a][t] = s.Low[j];
                    }

                    if (volume is not null)
                    {
                        volume[a][t] = s.Volume[j];
                    }

                    observed[a][t] = true;
                    lastRow = j++;
                    filled = 0;
                }
                else if (lastRow >= 0 && filled < _policy.MaxForwardFillBars)
                {
                    var c = s.Close[lastRow];
                    close[a][t] = c;
                    if (open is not null)
                    {
                        open[a][t] = c;
                        high![a][t] = c;
                        low![a][t] = c;
                    }

                    if (volume is not null)
                    {
                        volume[a][t] = 0;
                    }

                    filled++;
                }
            }
        }

        var stamps = Array.ConvertAll(axis, t => new DateTimeOffset(t, TimeSpan.Zero));
        return new PricePanel(stamps, symbols, barInterval, close, open, high, low, volume, observed);
    }

    private BarInterval InferInterval(string[] symbols)
    {
        // A symbol's own interval is its most common spacing. The panel's interval is the smallest of them; any symbol
        // with at least two spacings whose most common spacing differs is on another interval (mixed intervals).
        var perSymbol = new List<(string Symbol, long Ticks, int Spacings)>();
        foreach (var sym in symbols)
        {
            var ticks = _series[sym].Ticks;
            if (ticks.Count < 2)
            {
                continue;
            }

            var mode = Enumerable.Range(1, ticks.Count - 1)
                .Select(i => ticks[i] - ticks[i - 1])
                .GroupBy(d => d)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .First().Key;
            perSymbol.Add((sym, mode, ticks.Count - 1));
        }

        if (perSymbol.Count == 0)
        {
            throw new MarketDataException(_source, null, "cannot infer the bar interval: no symbol has two bars. Give the interval explicitly.");
        }

        var step = perSymbol.Min(p => p.Ticks);
        var odd = perSymbol.Where(p => p.Ticks != step && p.Spacings >= 2).ToList();
        if (odd.Count > 0)
        {
            var detail = string.Join("; ", perSymbol.Where(p => p.Spacings >= 2).GroupBy(p => p.Ticks).Select(g =>
                $"{new BarInterval(TimeSpan.FromTicks(g.Key))}: {string.Join(", ", g.Select(p => p.Symbol).Take(5))}{(g.Count() > 5 ? ", …" : "")}"));
            throw new MarketDataException(_source, null, $"mixed intervals: symbols have different bar spacings ({detail}). Split the file or resample it.");
        }

        return new BarInterval(TimeSpan.FromTicks(step));
    }

    private void CheckSpacing(string[] symbols, BarInterval interval)
    {
        var step = interval.Length.Ticks;
        foreach (var sym in symbols)
        {
            var s = _series[sym];
            for (var i = 1; i < s.Ticks.Count; i++)
            {
                var gap = s.Ticks[i] - s.Ticks[i - 1];
                if (gap % step != 0)
                {
                    throw Error(s.Lines[i], $"mixed intervals: {sym} bar is {TimeSpan.FromTicks(gap)} after the previous one (line {s.Lines[i - 1]}), which is not a multiple of the {interval} interval.");
                }
            }
        }
    }

    private void CheckPrice(long line, string field, double value)
    {
        if (double.IsNaN(value))
        {
            throw Error(line, $"{field} is NaN.");
        }

        if (!double.IsFinite(value) || value <= 0)
        {
            throw Error(line, string.Create(CultureInfo.InvariantCulture, $"{field} {value} must be a positive finite price."));
        }
    }

    private MarketDataException Error(long line, string problem) => new(_source, line, problem);

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }

    private sealed class Series
    {
        public List<long> Ticks { get; } = [];
        public List<long> Lines { get; } = [];
        public List<double> Close { get; } = [];
        public List<double> Open { get; } = [];
        public List<double> High { get; } = [];
        public List<double> Low { get; } = [];
        public List<double> Volume { get; } = [];
    }
}
