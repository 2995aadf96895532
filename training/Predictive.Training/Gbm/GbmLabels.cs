using Predictive.Core.MarketData;

namespace Predictive.Training.Gbm;

/// <summary>
/// Future-looking targets per (bar, asset), row-major <c>[bar, asset]</c>, NaN where a close they need is missing:
/// the log return from bar t to t + <see cref="GbmOptions.ReturnHorizon"/>, and the realized volatility (root mean square
/// of the one-bar log returns) over bars t+1 … t + <see cref="GbmOptions.VolatilityHorizon"/>. Labels are the only place
/// the future is read; features at t use bars ≤ t, and splits purge rows whose label window reaches a test fold.
/// </summary>
public sealed class GbmLabels
{
    private GbmLabels(float[] returns, float[] volatility, int bars, int assets, int window)
    {
        Returns = returns;
        Volatility = volatility;
        BarCount = bars;
        AssetCount = assets;
        Window = window;
    }

    /// <summary>Forward log return labels, <c>[bar, asset]</c>.</summary>
    public IReadOnlyList<float> Returns { get; }

    /// <summary>Forward realized volatility labels, <c>[bar, asset]</c>.</summary>
    public IReadOnlyList<float> Volatility { get; }

    /// <summary>Bars.</summary>
    public int BarCount { get; }

    /// <summary>Assets.</summary>
    public int AssetCount { get; }

    /// <summary>How many bars past t the labels of bar t read.</summary>
    public int Window { get; }

    /// <summary>Computes both labels from a panel's closes.</summary>
    public static GbmLabels Compute(PricePanel panel, GbmOptions options)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var closes = new double[panel.AssetCount][];
        for (var a = 0; a < closes.Length; a++)
        {
            closes[a] = panel.Close(a).ToArray();
        }

        return Compute(closes, panel.BarCount, options.ReturnHorizon, options.VolatilityHorizon);
    }

    /// <summary>Computes both labels from plain close columns <c>[asset][bar]</c>.</summary>
    public static GbmLabels Compute(double[][] closes, int bars, int returnHorizon, int volatilityHorizon)
    {
        ArgumentNullException.ThrowIfNull(closes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(returnHorizon);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(volatilityHorizon);
        var n = closes.Length;
        var returns = new float[bars * n];
        var vol = new float[bars * n];
        for (var a = 0; a < n; a++)
        {
            var c = closes[a];
            if (c.Length != bars)
            {
                throw new ArgumentException($"closes[{a}] has {c.Length} bars; expected {bars}.", nameof(closes));
            }

            for (var t = 0; t < bars; t++)
            {
                returns[(t * n) + a] = (float)LogReturn(c, t, t + returnHorizon);
                double sum = 0;
                for (var j = 1; j <= volatilityHorizon; j++)
                {
                    var r = LogReturn(c, t + j - 1, t + j);
                    sum += r * r;
                }

                vol[(t * n) + a] = (float)Math.Sqrt(sum / volatilityHorizon);
            }
        }

        return new GbmLabels(returns, vol, bars, n, Math.Max(returnHorizon, volatilityHorizon));
    }

    private static double LogReturn(double[] close, int from, int to)
    {
        if (to >= close.Length || !(close[from] > 0) || !(close[to] > 0))
        {
            return double.NaN;
        }

        return Math.Log(close[to] / close[from]);
    }
}
