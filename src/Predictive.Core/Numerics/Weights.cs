namespace Predictive.Core.Numerics;

/// <summary>Small operations on long-only weight vectors.</summary>
public static class Weights
{
    /// <summary>
    /// Caps weights by water-filling: weight above a cap is handed to the uncapped assets in proportion to their
    /// weights, repeated until no cap is exceeded. The total is kept at 1.
    /// </summary>
    /// <exception cref="ArgumentException">The caps sum to less than 1.</exception>
    public static void ApplyCaps(Span<double> w, ReadOnlySpan<double> caps)
    {
        var capSum = 0.0;
        foreach (var u in caps)
        {
            capSum += u;
        }

        if (capSum < 1 - 1e-12)
        {
            throw new ArgumentException($"The weight caps sum to {capSum}, less than 1.", nameof(caps));
        }

        for (var round = 0; round <= w.Length; round++)
        {
            double excess = 0, freeMass = 0;
            var freeCount = 0;
            for (var i = 0; i < w.Length; i++)
            {
                if (w[i] > caps[i])
                {
                    excess += w[i] - caps[i];
                    w[i] = caps[i];
                }
                else if (w[i] < caps[i])
                {
                    freeMass += w[i];
                    freeCount++;
                }
            }

            if (excess <= 0)
            {
                break;
            }

            for (var i = 0; i < w.Length; i++)
            {
                if (w[i] < caps[i])
                {
                    // Proportional hand-out; assets at zero share equally only when every free asset is at zero.
                    w[i] += freeMass > 0 ? excess * w[i] / freeMass : excess / freeCount;
                }
            }
        }

        SpreadResidual(w, caps);
    }

    /// <summary>Rescales non-negative scores to sum to 1.</summary>
    /// <exception cref="ArgumentException">The scores sum to zero or are not finite.</exception>
    public static void Normalize(Span<double> w)
    {
        var s = 0.0;
        foreach (var x in w)
        {
            s += x;
        }

        if (!(s > 0) || !double.IsFinite(s))
        {
            throw new ArgumentException($"Cannot normalize weights that sum to {s}.", nameof(w));
        }

        for (var i = 0; i < w.Length; i++)
        {
            w[i] /= s;
        }
    }

    /// <summary>
    /// Removes the rounding residual of Σw − 1 by adjusting the largest weight that has room, so sums are exact to
    /// a few ulps without moving any weight past 0 or its cap.
    /// </summary>
    public static void SpreadResidual(Span<double> w, ReadOnlySpan<double> caps)
    {
        for (var pass = 0; pass < 3; pass++)
        {
            var s = 0.0;
            foreach (var x in w)
            {
                s += x;
            }

            var r = 1 - s;
            if (r == 0)
            {
                return;
            }

            var best = -1;
            for (var i = 0; i < w.Length; i++)
            {
                var room = r > 0 ? caps[i] - w[i] : w[i];
                if (room >= Math.Abs(r) && (best < 0 || w[i] > w[best]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                return;
            }

            w[best] += r;
        }
    }
}
