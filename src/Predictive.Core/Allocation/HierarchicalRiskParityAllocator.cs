namespace Predictive.Core.Allocation;

/// <summary>
/// Hierarchical risk parity (López de Prado 2016): single-linkage clustering on the correlation distance
/// √(½(1 − ρ)), quasi-diagonal ordering of the dendrogram, then recursive bisection that splits weight between the
/// two halves in inverse proportion to their inverse-variance-portfolio variances. A cap, when set, is applied after.
/// </summary>
public sealed class HierarchicalRiskParityAllocator(AllocatorOptions? options = null) : ClassicalAllocator(options)
{
    /// <inheritdoc />
    public override string Name => "hrp";

    /// <inheritdoc />
    protected override double[] Solve(double[] covariance, double[] expectedReturns, double[] caps)
    {
        var m = expectedReturns.Length;
        var order = QuasiDiagonalOrder(covariance, m);
        var w = new double[m];
        Array.Fill(w, 1.0);
        Bisect(covariance, m, order, w);
        return w;
    }

    /// <summary>The leaf order of the single-linkage dendrogram (ties broken by index, so it is deterministic).</summary>
    internal static int[] QuasiDiagonalOrder(double[] covariance, int m)
    {
        var dist = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                var rho = covariance[(i * m) + j] / Math.Sqrt(covariance[(i * m) + i] * covariance[(j * m) + j]);
                dist[i, j] = Math.Sqrt(Math.Max(0, 0.5 * (1 - Math.Clamp(rho, -1, 1))));
            }
        }

        // Agglomerate: each cluster keeps its leaves in dendrogram order (left child's leaves, then the right's).
        var clusters = Enumerable.Range(0, m).Select(i => new List<int> { i }).ToList();
        while (clusters.Count > 1)
        {
            int bi = 0, bj = 1;
            var bd = double.PositiveInfinity;
            for (var i = 0; i < clusters.Count; i++)
            {
                for (var j = i + 1; j < clusters.Count; j++)
                {
                    var d = double.PositiveInfinity;
                    foreach (var a in clusters[i])
                    {
                        foreach (var b in clusters[j])
                        {
                            d = Math.Min(d, dist[a, b]);
                        }
                    }

                    if (d < bd)
                    {
                        (bd, bi, bj) = (d, i, j);
                    }
                }
            }

            clusters[bi].AddRange(clusters[bj]);
            clusters.RemoveAt(bj);
        }

        return [.. clusters[0]];
    }

    private static void Bisect(double[] covariance, int m, int[] items, double[] w)
    {
        if (items.Length < 2)
        {
            return;
        }

        var half = items.Length / 2;
        var left = items[..half];
        var right = items[half..];
        var vl = ClusterVariance(covariance, m, left);
        var vr = ClusterVariance(covariance, m, right);
        var alpha = 1 - (vl / (vl + vr));
        foreach (var i in left)
        {
            w[i] *= alpha;
        }

        foreach (var i in right)
        {
            w[i] *= 1 - alpha;
        }

        Bisect(covariance, m, left, w);
        Bisect(covariance, m, right, w);
    }

    /// <summary>The variance of the inverse-variance portfolio of a cluster.</summary>
    private static double ClusterVariance(double[] covariance, int m, int[] items)
    {
        var ivp = items.Select(i => 1 / covariance[(i * m) + i]).ToArray();
        var s = ivp.Sum();
        var v = 0.0;
        for (var a = 0; a < items.Length; a++)
        {
            for (var b = 0; b < items.Length; b++)
            {
                v += ivp[a] / s * (ivp[b] / s) * covariance[(items[a] * m) + items[b]];
            }
        }

        return v;
    }
}
