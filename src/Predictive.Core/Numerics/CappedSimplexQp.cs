namespace Predictive.Core.Numerics;

/// <summary>
/// Solves the long-only portfolio quadratic program
/// <c>minimize ½ wᵀQw − cᵀw  subject to  Σw = 1, 0 ≤ wᵢ ≤ capᵢ</c>.
/// </summary>
/// <remarks>
/// <see cref="Solve"/> uses the exact <see cref="ActiveSetQp"/> from the feasible point caps / Σcaps; when that fails
/// (Q singular on the free weights) it falls back to <see cref="SolveIterative"/>.
/// </remarks>
public static class CappedSimplexQp
{
    private const int MaxIterations = 20_000;

    /// <summary>Solves the program. <paramref name="q"/> is row-major <c>n × n</c>, symmetric positive semi-definite.</summary>
    /// <exception cref="ArgumentException">The caps cannot sum to 1 (the program is infeasible).</exception>
    public static double[] Solve(ReadOnlySpan<double> q, ReadOnlySpan<double> c, ReadOnlySpan<double> caps)
    {
        var n = c.Length;
        var capSum = CheckCaps(caps);
        var ones = new double[n];
        Array.Fill(ones, 1.0);

        // Scaling Q and c together leaves the minimizer alone and keeps the KKT pivots near 1 for daily variances.
        var scale = 0.0;
        for (var i = 0; i < n; i++)
        {
            scale += q[(i * n) + i] / n;
        }

        scale = scale > 0 ? 1 / scale : 1;
        var problem = new QuadraticProgram(Scaled(q, scale), Scaled(c, scale), new double[n], caps.ToArray())
        {
            EqualityRows = ones,
            EqualityRhs = [1.0],
        };
        var start = caps.ToArray();
        for (var i = 0; i < n; i++)
        {
            start[i] /= capSum;
        }

        if (!ActiveSetQp.TrySolve(problem, start, out var w, out _))
        {
            return SolveIterative(q, c, caps);
        }

        for (var i = 0; i < n; i++)
        {
            w[i] = Math.Clamp(w[i], 0, caps[i]);
        }

        Weights.SpreadResidual(w, caps);
        return w;
    }

    /// <summary>
    /// Solves the program by accelerated projected gradient (FISTA with adaptive restart), which finds the active set
    /// even when <paramref name="q"/> is singular; an exact KKT solve on the free variables then polishes the answer
    /// whenever it confirms that active set. Slower than <see cref="Solve"/> (thousands of iterations when Q is
    /// ill-conditioned); kept as its fallback and as an independent reference.
    /// </summary>
    /// <exception cref="ArgumentException">The caps cannot sum to 1 (the program is infeasible).</exception>
    public static double[] SolveIterative(ReadOnlySpan<double> q, ReadOnlySpan<double> c, ReadOnlySpan<double> caps)
    {
        var n = c.Length;
        CheckCaps(caps);
        var lipschitz = DenseMatrix.LargestEigenvalue(q, n);
        var step = lipschitz > 0 ? 1.0 / lipschitz : 1.0;
        var x = new double[n];
        var xPrev = new double[n];
        var y = new double[n];
        var grad = new double[n];
        var v = new double[n];
        Array.Fill(x, 1.0 / n);
        Project(x, caps, x);
        x.CopyTo(y, 0);
        var t = 1.0;
        for (var it = 0; it < MaxIterations; it++)
        {
            DenseMatrix.Multiply(q, y, grad);
            for (var i = 0; i < n; i++)
            {
                v[i] = y[i] - (step * (grad[i] - c[i]));
            }

            x.CopyTo(xPrev, 0);
            Project(v, caps, x);
            var tNext = (1 + Math.Sqrt(1 + (4 * t * t))) / 2;
            var momentum = (t - 1) / tNext;
            var change = 0.0;
            var restart = 0.0;
            for (var i = 0; i < n; i++)
            {
                var d = x[i] - xPrev[i];
                change = Math.Max(change, Math.Abs(d));
                restart += (y[i] - x[i]) * d;
            }

            if (restart > 0)
            {
                // Momentum points uphill: restart from the current point (O'Donoghue & Candès 2015).
                t = 1;
                x.CopyTo(y, 0);
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    y[i] = x[i] + (momentum * (x[i] - xPrev[i]));
                }

                t = tNext;
            }

            if (change < 1e-12)
            {
                break;
            }
        }

        return Polish(q, c, caps, x) ?? x;
    }

    private static double[] Scaled(ReadOnlySpan<double> values, double factor)
    {
        var r = values.ToArray();
        for (var i = 0; i < r.Length; i++)
        {
            r[i] *= factor;
        }

        return r;
    }

    private static double CheckCaps(ReadOnlySpan<double> caps)
    {
        var capSum = 0.0;
        foreach (var u in caps)
        {
            capSum += u;
        }

        if (capSum < 1 - 1e-12)
        {
            throw new ArgumentException($"The weight caps sum to {capSum}, less than 1: no long-only portfolio satisfies them.", nameof(caps));
        }

        return capSum;
    }

    /// <summary>Euclidean projection of <paramref name="v"/> onto {Σw = 1, 0 ≤ w ≤ caps}.</summary>
    public static void Project(ReadOnlySpan<double> v, ReadOnlySpan<double> caps, Span<double> w)
    {
        // Σ clip(vᵢ − τ, 0, capᵢ) falls monotonically in τ; bisect for the τ that makes it 1.
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (var i = 0; i < v.Length; i++)
        {
            lo = Math.Min(lo, v[i] - caps[i]);
            hi = Math.Max(hi, v[i]);
        }

        lo -= 1;
        for (var it = 0; it < 200 && hi - lo > 0; it++)
        {
            var mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi)
            {
                break;
            }

            var s = 0.0;
            for (var i = 0; i < v.Length; i++)
            {
                s += Math.Clamp(v[i] - mid, 0, caps[i]);
            }

            if (s > 1)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var tau = 0.5 * (lo + hi);
        for (var i = 0; i < v.Length; i++)
        {
            w[i] = Math.Clamp(v[i] - tau, 0, caps[i]);
        }

        Weights.SpreadResidual(w, caps);
    }

    private static double[]? Polish(ReadOnlySpan<double> q, ReadOnlySpan<double> c, ReadOnlySpan<double> caps, double[] x)
    {
        var n = x.Length;
        const double eps = 1e-10;
        var free = new List<int>();
        var w = new double[n];
        var fixedSum = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (x[i] <= eps)
            {
                w[i] = 0;
            }
            else if (x[i] >= caps[i] - eps)
            {
                w[i] = caps[i];
                fixedSum += caps[i];
            }
            else
            {
                free.Add(i);
            }
        }

        if (free.Count == 0)
        {
            return null;
        }

        // Stationarity on the free set: Q_FF w_F = c_F − Q_FX w_X + λ·1, with 1ᵀw_F = 1 − fixedSum.
        var m = free.Count;
        var idx = free.ToArray();
        var qff = DenseMatrix.Submatrix(q, n, idx);
        var rhs = new double[m];
        for (var a = 0; a < m; a++)
        {
            var i = idx[a];
            var s = c[i];
            for (var j = 0; j < n; j++)
            {
                if (w[j] != 0 && !free.Contains(j))
                {
                    s -= q[(i * n) + j] * w[j];
                }
            }

            rhs[a] = s;
        }

        var ones = new double[m];
        Array.Fill(ones, 1.0);
        var pa = new double[m];
        var pb = new double[m];
        if (!DenseMatrix.TrySolveSpd(qff, rhs, pa) || !DenseMatrix.TrySolveSpd(qff, ones, pb))
        {
            return null;
        }

        var sumB = pb.Sum();
        var lambda = (1 - fixedSum - pa.Sum()) / sumB;
        for (var a = 0; a < m; a++)
        {
            var value = pa[a] + (lambda * pb[a]);
            if (value < 0 || value > caps[idx[a]])
            {
                return null;
            }

            w[idx[a]] = value;
        }

        // The fixed variables must keep the right multiplier sign, otherwise the active set is wrong.
        var g = new double[n];
        DenseMatrix.Multiply(q, w, g);
        var scale = Math.Max(1e-300, Math.Abs(lambda) + c.ToArray().Max(Math.Abs));
        for (var i = 0; i < n; i++)
        {
            if (free.Contains(i))
            {
                continue;
            }

            var reduced = g[i] - c[i] - lambda;
            if ((w[i] == 0 && reduced < -1e-9 * scale) || (w[i] > 0 && reduced > 1e-9 * scale))
            {
                return null;
            }
        }

        Weights.SpreadResidual(w, caps);
        return w;
    }
}
