using System.Numerics;

namespace Predictive.Core.Features;

/// <summary>
/// Exponentially weighted mean of r² with bias-corrected weights (Σλᵏr²ₜ₋ₖ / Σλᵏ, λ = 2^(−1/half-life)) for every asset
/// lane. A missing return restarts an asset's average, and it reports a value once it has seen half-life returns in a row.
/// </summary>
internal sealed class Ewma
{
    private readonly int _halfLife;
    private readonly double _lambda;
    private readonly double[] _numerator;
    private readonly double[] _denominator;
    private readonly double[] _count;

    public Ewma(int halfLife, int width)
    {
        _halfLife = halfLife;
        _lambda = Math.Pow(2, -1.0 / halfLife);
        _numerator = new double[width];
        _denominator = new double[width];
        _count = new double[width];
    }

    /// <summary>Adds one bar of returns (one per lane).</summary>
    public void Add(ReadOnlySpan<double> returns)
    {
        var r = Lanes.AsVectors(returns);
        var numerator = Lanes.AsVectors(_numerator.AsSpan());
        var denominator = Lanes.AsVectors(_denominator.AsSpan());
        var count = Lanes.AsVectors(_count.AsSpan());
        var lambda = new Vector<double>(_lambda);
        for (var i = 0; i < r.Length; i++)
        {
            var x = r[i];
            var present = Vector.Equals(x, x);
            numerator[i] = Vector.ConditionalSelect(present, (lambda * numerator[i]) + (x * x), Vector<double>.Zero);
            denominator[i] = Vector.ConditionalSelect(present, (lambda * denominator[i]) + Vector<double>.One, Vector<double>.Zero);
            count[i] = Vector.ConditionalSelect(present, count[i] + Vector<double>.One, Vector<double>.Zero);
        }
    }

    /// <summary>Writes the volatility of every lane: √(weighted mean of r²), NaN until half-life returns in a row.</summary>
    /// <param name="output">The volatility of every lane.</param>
    /// <param name="valid">When <paramref name="check"/>, cleared where the volatility is not finite.</param>
    /// <param name="check">Whether to clear <paramref name="valid"/>.</param>
    public void Value(Span<Vector<double>> output, Span<Vector<long>> valid, bool check)
    {
        var numerator = Lanes.AsVectors(_numerator.AsSpan());
        var denominator = Lanes.AsVectors(_denominator.AsSpan());
        var count = Lanes.AsVectors(_count.AsSpan());
        var halfLife = new Vector<double>(_halfLife);
        var nan = new Vector<double>(double.NaN);
        for (var i = 0; i < output.Length; i++)
        {
            var v = Vector.SquareRoot(numerator[i] / denominator[i]);
            var x = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(count[i], halfLife), v, nan);
            output[i] = x;
            if (check)
            {
                valid[i] &= Vector.Equals(x - x, Vector<double>.Zero);
            }
        }
    }
}
