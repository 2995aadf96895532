using Predictive.Core.Numerics;

namespace Predictive.Core.Allocation;

/// <summary>
/// Shared frame of the classical allocators: restricts the problem to the available assets, checks the risk
/// estimate they need, solves on that subset, applies the weight cap and scatters back (0 for unavailable assets).
/// </summary>
public abstract class ClassicalAllocator : IAllocator
{
    /// <summary>Creates the allocator with validated options.</summary>
    protected ClassicalAllocator(AllocatorOptions? options)
    {
        Options = options ?? AllocatorOptions.Default;
        Options.Validate();
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The constraints in force.</summary>
    public AllocatorOptions Options { get; }

    /// <summary>Whether the allocator reads <see cref="AllocationInput.Risk"/>.</summary>
    protected virtual bool NeedsRisk => true;

    /// <summary>Whether <see cref="Solve"/> already honours the caps it is given (otherwise they are water-filled after).</summary>
    protected virtual bool HandlesCaps => false;

    /// <inheritdoc />
    public double[] Allocate(AllocationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var n = input.AssetCount;
        var idx = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (input.Available[i])
            {
                idx.Add(i);
            }
        }

        if (idx.Count == 0)
        {
            throw new AllocationException($"{Name}: no asset is available at this bar (none is listed with enough history), so there is nothing to allocate to.");
        }

        var sub = idx.ToArray();
        var m = sub.Length;
        double[] cov = [];
        var mu = new double[m];
        if (NeedsRisk)
        {
            var risk = input.Risk ?? throw new AllocationException($"{Name} needs a risk estimate (covariance), but the input has none.");
            cov = DenseMatrix.Submatrix(risk.Covariance, n, sub);
            for (var a = 0; a < m; a++)
            {
                mu[a] = risk.ExpectedReturns[sub[a]];
                var variance = cov[(a * m) + a];
                if (!double.IsFinite(mu[a]) || !(variance > 0) || !double.IsFinite(variance))
                {
                    throw new AllocationException($"{Name}: the risk estimate for available asset '{input.Assets[sub[a]]}' is not usable (variance {variance}, expected return {mu[a]}).");
                }
            }

            foreach (var value in cov)
            {
                if (!double.IsFinite(value))
                {
                    throw new AllocationException($"{Name}: the covariance of the available assets contains a non-finite value.");
                }
            }
        }

        var caps = new double[m];
        Array.Fill(caps, Math.Max(Options.MaxWeight, 1.0 / m));
        var w = m == 1 ? [1.0] : Solve(cov, mu, caps);
        if (!HandlesCaps)
        {
            Weights.ApplyCaps(w, caps);
        }

        var result = new double[n];
        for (var a = 0; a < m; a++)
        {
            result[sub[a]] = Math.Max(0, w[a]);
        }

        return result;
    }

    /// <summary>
    /// Computes weights over the available assets only.
    /// </summary>
    /// <param name="covariance">Row-major <c>m × m</c> covariance of the available assets (empty when <see cref="NeedsRisk"/> is false).</param>
    /// <param name="expectedReturns">Expected per-bar returns of the available assets (zeros when <see cref="NeedsRisk"/> is false).</param>
    /// <param name="caps">The per-asset cap, already raised to at least 1/m.</param>
    /// <returns>m non-negative weights summing to 1.</returns>
    protected abstract double[] Solve(double[] covariance, double[] expectedReturns, double[] caps);
}
