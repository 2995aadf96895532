using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Predictive.Core.Features;

/// <summary>Quadratic forms of the estimate without writing it out.</summary>
public sealed partial class RollingRiskEstimator
{
    /// <summary>
    /// dᵀΣd for the estimate at <see cref="Bar"/>, entries of assets outside the estimate counting 0 (as a tracking
    /// error reads the covariance <see cref="CopyTo"/> writes, with its NaN as 0), from S and the shrinkage target
    /// without forming Σ: Σ = δF + (1 − δ)S, F with S's diagonal and r̄·sdᵢ·sdⱼ off it, so over the assets in the
    /// estimate dᵀΣd = (1 − δ)·dᵀSd + δ·(Σ dᵢ²sᵢᵢ + r̄·((Σ dᵢsdᵢ)² − Σ dᵢ²sdᵢ²)). NaN when any dᵢ is NaN.
    /// </summary>
    /// <param name="d">One value per asset (e.g. current minus target weights).</param>
    /// <exception cref="InvalidOperationException">The estimator has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException"><paramref name="d"/> has the wrong length.</exception>
    public double Quadratic(ReadOnlySpan<double> d)
    {
        if (Bar < 0)
        {
            throw new InvalidOperationException("The rolling risk estimator has no bar yet; call MoveTo first.");
        }

        if (d.Length != _n)
        {
            throw new ArgumentException($"d must hold {_n} values; got {d.Length}.", nameof(d));
        }

        Finished();
        // d on the assets in the estimate, 0 elsewhere and in the padding.
        var e = _row;
        Array.Clear(e);
        double diagonal = 0, dSd = 0, dSd2 = 0;
        var nan = false;
        for (var i = 0; i < _n; i++)
        {
            nan |= double.IsNaN(d[i]);
            if (_one[i] == 0)
            {
                continue;
            }

            var x = e[i] = d[i];
            var x2 = x * x;
            diagonal += x2 * _s[(i * _stride) + i];
            dSd += x * _sd[i];
            dSd2 += x2 * _sd[i] * _sd[i];
        }

        if (nan)
        {
            return double.NaN;
        }

        var ev = MemoryMarshal.Cast<double, Vector256<double>>(e.AsSpan());
        double sample = 0;
        for (var i = 0; i < _n; i++)
        {
            if (e[i] == 0)
            {
                continue;
            }

            var s = Row(_s, i * _stride);
            var sum = Vector256<double>.Zero;
            for (var k = 0; k < s.Length; k++)
            {
                sum += s[k] * ev[k];
            }

            sample += e[i] * Sum(sum);
        }

        return ((1 - _delta) * sample) + (_delta * (diagonal + (_rBar * ((dSd * dSd) - dSd2))));
    }
}
