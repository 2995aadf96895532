using System.Globalization;
using Predictive.Core.MarketData;

namespace Predictive.Core.Synthetic;

/// <summary>
/// A deterministic synthetic market: many assets whose returns follow a one-factor model with Student-t innovations,
/// switched between calm, trending and crash regimes by a Markov chain. Used as the embedded default for demos and tests.
/// </summary>
/// <remarks>
/// In regime <c>k</c> asset <c>i</c>'s log return is <c>μₖ + σₖ·sᵢ·(√ρₖ·f + √(1−ρₖ)·εᵢ)</c>, with the common factor
/// <c>f</c> and idiosyncratic <c>εᵢ</c> independent unit-variance Student-t draws and <c>sᵢ</c> a fixed per-asset scale, so
/// any two assets correlate by <c>ρₖ</c>. Open is the previous close; high and low extend beyond open and close by a
/// half-normal fraction of the bar's volatility. Quote volume grows with |return| (in units of the asset's calm
/// volatility) and with the regime's volume multiplier. The bars go through <see cref="PanelBuilder"/>, so the panel
/// passes the same validation as data read from files.
/// </remarks>
public static class SyntheticMarket
{
    /// <summary>Generates the panel.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static PricePanel Generate(SyntheticMarketOptions options) => GenerateWithRegimes(options).Panel;

    /// <summary>Generates the panel together with the regime of every bar.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static SyntheticMarketResult GenerateWithRegimes(SyntheticMarketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var symbols = options.ResolveSymbols();
        var rng = new Random(options.Seed);
        var sampler = new StudentT(rng, options.DegreesOfFreedom);
        var assets = symbols.Count;

        var scale = new double[assets];
        var price = new double[assets];
        var baseVolume = new double[assets];
        for (var i = 0; i < assets; i++)
        {
            scale[i] = 0.7 + (0.8 * rng.NextDouble());
            price[i] = Math.Pow(10, -1 + (5 * rng.NextDouble()));
            baseVolume[i] = Math.Pow(10, 6 + (3 * rng.NextDouble()));
        }

        var regimes = new MarketRegime[options.Bars];
        var builder = new PanelBuilder(string.Create(CultureInfo.InvariantCulture, $"synthetic(seed={options.Seed})"), hasOhlc: true, hasVolume: true);
        var regime = options.InitialRegime;
        var calm = options.Calm;
        long row = 0;
        for (var t = 0; t < options.Bars; t++)
        {
            if (t > 0)
            {
                regime = NextRegime(rng, options.Transitions[(int)regime]);
            }

            regimes[t] = regime;
            var p = options.For(regime);
            var factor = sampler.Next();
            var loading = Math.Sqrt(p.Correlation);
            var own = Math.Sqrt(1 - p.Correlation);
            var stamp = options.Start + (options.Interval.Length * t);
            for (var i = 0; i < assets; i++)
            {
                var sigma = p.Volatility * scale[i];
                var r = p.Drift + (sigma * ((loading * factor) + (own * sampler.Next())));
                var open = price[i];
                var close = open * Math.Exp(r);
                var high = Math.Max(open, close) * Math.Exp(0.5 * sigma * Math.Abs(sampler.Normal()));
                var low = Math.Min(open, close) * Math.Exp(-0.5 * sigma * Math.Abs(sampler.Normal()));
                var surprise = Math.Min(Math.Abs(r) / (calm.Volatility * scale[i]), 8);
                var volume = baseVolume[i] * p.VolumeMultiplier * Math.Exp((0.5 * surprise) + (0.3 * sampler.Normal()));
                builder.Add(++row, stamp, symbols[i], open, high, low, close, volume);
                price[i] = close;
            }
        }

        return new SyntheticMarketResult(builder.Build(options.Interval), regimes);
    }

    private static MarketRegime NextRegime(Random rng, double[] row)
    {
        var u = rng.NextDouble();
        var cumulative = 0.0;
        for (var k = 0; k < row.Length - 1; k++)
        {
            cumulative += row[k];
            if (u < cumulative)
            {
                return (MarketRegime)k;
            }
        }

        return (MarketRegime)(row.Length - 1);
    }

    /// <summary>Unit-variance Student-t draws: a normal over √(χ²/ν), rescaled by √((ν−2)/ν).</summary>
    private sealed class StudentT(Random rng, double degreesOfFreedom)
    {
        private readonly double _unitVariance = Math.Sqrt((degreesOfFreedom - 2) / degreesOfFreedom);

        public double Next() => Normal() / Math.Sqrt(ChiSquare() / degreesOfFreedom) * _unitVariance;

        public double Normal()
        {
            // Box–Muller; 1 − U keeps the logarithm finite.
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        // χ²(ν) = 2·Gamma(ν/2); Marsaglia–Tsang for shape ≥ 1, which ν > 2 guarantees.
        private double ChiSquare()
        {
            var d = (degreesOfFreedom / 2) - (1.0 / 3);
            var c = 1 / Math.Sqrt(9 * d);
            while (true)
            {
                double x, v;
                do
                {
                    x = Normal();
                    v = 1 + (c * x);
                }
                while (v <= 0);

                v = v * v * v;
                var u = 1.0 - rng.NextDouble();
                if (Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
                {
                    return 2 * d * v;
                }
            }
        }
    }
}

/// <summary>A synthetic panel and the hidden regime of each bar (index = bar).</summary>
/// <param name="Panel">The generated prices.</param>
/// <param name="Regimes">The regime in force at each bar.</param>
public sealed record SyntheticMarketResult(PricePanel Panel, IReadOnlyList<MarketRegime> Regimes);
