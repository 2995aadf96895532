namespace Predictive.Core.Numerics;

/// <summary>
/// The few dense linear-algebra routines the allocators need, over row-major <c>n × n</c> arrays.
/// Small by design: matrices here are asset × asset (tens, not thousands).
/// </summary>
public static class DenseMatrix
{
    /// <summary>y = A x for a row-major <c>n × n</c> matrix.</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            var row = a.Slice(i * n, n);
            var s = 0.0;
            for (var j = 0; j < n; j++)
            {
                s += row[j] * x[j];
            }

            y[i] = s;
        }
    }

    /// <summary>xᵀ A x.</summary>
    public static double QuadraticForm(ReadOnlySpan<double> a, ReadOnlySpan<double> x)
    {
        var n = x.Length;
        var s = 0.0;
        for (var i = 0; i < n; i++)
        {
            var row = a.Slice(i * n, n);
            var r = 0.0;
            for (var j = 0; j < n; j++)
            {
                r += row[j] * x[j];
            }

            s += x[i] * r;
        }

        return s;
    }

    /// <summary>The sub-matrix of rows and columns <paramref name="index"/>, row-major.</summary>
    public static double[] Submatrix(ReadOnlySpan<double> a, int n, ReadOnlySpan<int> index)
    {
        var m = index.Length;
        var r = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                r[(i * m) + j] = a[(index[i] * n) + index[j]];
            }
        }

        return r;
    }

    /// <summary>
    /// Solves A x = b for a symmetric positive-definite A by Cholesky factorization.
    /// Returns <c>false</c> when A is not positive definite (to working precision).
    /// </summary>
    public static bool TrySolveSpd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> x)
    {
        var n = b.Length;
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = a[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    s -= l[(i * n) + k] * l[(j * n) + k];
                }

                if (i == j)
                {
                    if (!(s > 0))
                    {
                        return false;
                    }

                    l[(i * n) + i] = Math.Sqrt(s);
                }
                else
                {
                    l[(i * n) + j] = s / l[(j * n) + j];
                }
            }
        }

        // Forward then back substitution.
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
            {
                s -= l[(i * n) + k] * x[k];
            }

            x[i] = s / l[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var s = x[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= l[(k * n) + i] * x[k];
            }

            x[i] = s / l[(i * n) + i];
        }

        return true;
    }

    /// <summary>
    /// Solves A x = b for a general square A (row-major <c>n × n</c>, for example an indefinite KKT matrix) by Gaussian
    /// elimination with partial pivoting. Returns <c>false</c> when A is singular: a pivot is at most
    /// <paramref name="relativePivotTolerance"/> times the largest entry of A.
    /// </summary>
    public static bool TrySolve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> x, double relativePivotTolerance = 1e-13)
    {
        var n = b.Length;
        var m = a.ToArray();
        b.CopyTo(x);
        var largest = 0.0;
        foreach (var v in m)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        var tiny = relativePivotTolerance * largest;
        for (var k = 0; k < n; k++)
        {
            var p = k;
            for (var i = k + 1; i < n; i++)
            {
                if (Math.Abs(m[(i * n) + k]) > Math.Abs(m[(p * n) + k]))
                {
                    p = i;
                }
            }

            var pivot = m[(p * n) + k];
            if (!(Math.Abs(pivot) > tiny))
            {
                return false;
            }

            if (p != k)
            {
                for (var j = k; j < n; j++)
                {
                    (m[(k * n) + j], m[(p * n) + j]) = (m[(p * n) + j], m[(k * n) + j]);
                }

                (x[k], x[p]) = (x[p], x[k]);
            }

            for (var i = k + 1; i < n; i++)
            {
                var f = m[(i * n) + k] / pivot;
                if (f == 0)
                {
                    continue;
                }

                for (var j = k + 1; j < n; j++)
                {
                    m[(i * n) + j] -= f * m[(k * n) + j];
                }

                x[i] -= f * x[k];
            }
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var s = x[i];
            for (var j = i + 1; j < n; j++)
            {
                s -= m[(i * n) + j] * x[j];
            }

            x[i] = s / m[(i * n) + i];
        }

        return true;
    }

    /// <summary>The largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration.</summary>
    public static double LargestEigenvalue(ReadOnlySpan<double> a, int n)
    {
        var v = new double[n];
        var w = new double[n];
        Array.Fill(v, 1.0 / Math.Sqrt(n));
        var lambda = 0.0;
        for (var it = 0; it < 500; it++)
        {
            Multiply(a, v, w);
            var norm = Math.Sqrt(Dot(w, w));
            if (norm == 0)
            {
                return 0;
            }

            for (var i = 0; i < n; i++)
            {
                v[i] = w[i] / norm;
            }

            if (Math.Abs(norm - lambda) <= 1e-12 * norm)
            {
                return norm;
            }

            lambda = norm;
        }

        return lambda;
    }

    /// <summary>The dot product.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var s = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i];
        }

        return s;
    }
}
