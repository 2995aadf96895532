namespace Predictive.Core.Numerics;

/// <summary>
/// Primal active-set method for a dense convex <see cref="QuadraticProgram"/> (Nocedal &amp; Wright, Numerical
/// Optimization, 2nd ed., Algorithm 16.3), started from a feasible point. Exact up to rounding: each iterate solves the
/// equality-constrained subproblem on the working set directly. Deterministic.
/// </summary>
/// <remarks>
/// Bounds in the working set fix their variable, so the KKT system of each step is built over the free variables only
/// (size free + equalities + working inequalities): cheap when many weights sit at 0 or at a cap.
/// </remarks>
public static class ActiveSetQp
{
    private const sbyte Free = 0;
    private const sbyte AtLower = -1;
    private const sbyte AtUpper = 1;

    /// <summary>Solves the program from <paramref name="start"/>, which must satisfy every constraint.</summary>
    /// <param name="problem">The program.</param>
    /// <param name="start">A feasible point.</param>
    /// <param name="solution">The minimizer when the method succeeds.</param>
    /// <param name="failure">Why it did not (a singular KKT system, usually a Q that is singular on the free
    /// variables, or no convergence within the iteration limit); empty on success.</param>
    /// <returns>Whether a minimizer was found.</returns>
    /// <exception cref="ArgumentException">The program is malformed, or <paramref name="start"/> has the wrong length
    /// or violates a constraint (the message names which).</exception>
    public static bool TrySolve(QuadraticProgram problem, ReadOnlySpan<double> start, out double[] solution, out string failure)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Validate();
        var n = problem.VariableCount;
        if (start.Length != n)
        {
            throw new ArgumentException($"The start point has {start.Length} values; the program has {n} variables.", nameof(start));
        }

        var x = start.ToArray();
        var equalities = problem.EqualityRhs.Length;
        var inequalities = problem.InequalityRhs.Length;
        CheckFeasible(problem, x);

        var bound = new sbyte[n];
        var working = new List<int>();
        var inWorking = new bool[inequalities];
        var g = new double[n];
        var p = new double[n];
        var maxIterations = (10 * (n + inequalities + equalities)) + 50;
        var degenerate = false;
        var atSubproblemMinimum = false;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            DenseMatrix.Multiply(problem.Q, x, g);
            for (var i = 0; i < n; i++)
            {
                g[i] -= problem.C[i];
            }

            if (!TryStep(problem, bound, working, g, p, out var nu))
            {
                solution = [];
                failure = $"the KKT system became singular after {iteration} iterations (Q is singular on the {bound.Count(b => b == Free)} free variables, or the constraints in force are dependent).";
                return false;
            }

            // After a full, unblocked step x is the minimizer on the working set, whatever rounding leaves in p.
            if (atSubproblemMinimum || MaxAbs(p) <= 1e-12 * (1 + MaxAbs(x)))
            {
                // Stationary on the working set: optimal unless some constraint in it pulls the wrong way.
                var (worst, worstValue) = NegativeMultiplier(problem, bound, working, g, nu, -1e-11 * (1 + MaxAbs(g)), smallestIndex: degenerate);
                if (worst < 0)
                {
                    solution = x;
                    failure = "";
                    return true;
                }

                atSubproblemMinimum = false;
                if (worst < n)
                {
                    bound[worst] = Free;
                }
                else
                {
                    var row = working[worst - n];
                    working.RemoveAt(worst - n);
                    inWorking[row] = false;
                }

                continue;
            }

            var alpha = TakeStep(problem, x, p, bound, working, inWorking, out var blocked);
            degenerate = alpha == 0;
            atSubproblemMinimum = !blocked;
        }

        solution = [];
        failure = $"no convergence within {maxIterations} active-set iterations (cycling at a degenerate vertex?).";
        return false;
    }

    /// <summary>Solves the KKT system on the working set: Q p + Mᵀν = −g on the free variables, M p = 0.</summary>
    private static bool TryStep(QuadraticProgram problem, sbyte[] bound, List<int> working, double[] g, double[] p, out double[] nu)
    {
        var n = problem.VariableCount;
        var free = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (bound[i] == Free)
            {
                free.Add(i);
            }
        }

        var equalities = problem.EqualityRhs.Length;
        var f = free.Count;
        var rows = equalities + working.Count;
        var size = f + rows;
        var k = new double[size * size];
        var rhs = new double[size];
        // Each constraint row is scaled to unit max-norm over the free variables, so a row whose free part is tiny
        // (an excess return of 1e-7 beside one of 1) does not pass for a zero pivot; ν is scaled back below.
        var rowScale = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var row = Row(problem, working, r);
            foreach (var i in free)
            {
                rowScale[r] = Math.Max(rowScale[r], Math.Abs(row[i]));
            }

            if (rowScale[r] == 0)
            {
                nu = [];
                return false;
            }
        }

        for (var a = 0; a < f; a++)
        {
            for (var b = 0; b < f; b++)
            {
                k[(a * size) + b] = problem.Q[(free[a] * n) + free[b]];
            }

            rhs[a] = -g[free[a]];
            for (var r = 0; r < rows; r++)
            {
                var coefficient = Row(problem, working, r)[free[a]] / rowScale[r];
                k[(a * size) + f + r] = coefficient;
                k[((f + r) * size) + a] = coefficient;
            }
        }

        var solved = new double[size];
        Array.Clear(p);
        nu = new double[rows];
        if (size > 0 && !DenseMatrix.TrySolve(k, rhs, solved))
        {
            return false;
        }

        for (var a = 0; a < f; a++)
        {
            p[free[a]] = solved[a];
        }

        for (var r = 0; r < rows; r++)
        {
            nu[r] = solved[f + r] / rowScale[r];
        }

        return true;
    }

    /// <summary>
    /// A Lagrange multiplier below <paramref name="threshold"/> among the working inequalities and fixed bounds, as
    /// (index, value): index &lt; n is a bound on that variable, n + r is the r-th working inequality; −1 when none.
    /// Normally the most negative; after a degenerate (zero-length) step the one with the smallest constraint number
    /// (bounds first, then inequalities), Bland's rule, which stops the method from cycling at a degenerate vertex.
    /// </summary>
    private static (int Index, double Value) NegativeMultiplier(QuadraticProgram problem, sbyte[] bound, List<int> working, double[] g, double[] nu, double threshold, bool smallestIndex)
    {
        var n = problem.VariableCount;
        var equalities = problem.EqualityRhs.Length;
        var rows = nu.Length;
        var found = -1;
        var foundValue = threshold;
        var foundKey = int.MaxValue;
        void Consider(int index, int key, double value)
        {
            if (value < threshold && (smallestIndex ? key < foundKey : value < foundValue))
            {
                (found, foundValue, foundKey) = (index, value, key);
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (bound[i] == Free)
            {
                continue;
            }

            // Row i of ∇f + Mᵀν + β·(±eᵢ) = 0, where the bound's row is −eᵢ (lower) or +eᵢ (upper).
            var t = g[i];
            for (var r = 0; r < rows; r++)
            {
                t += Row(problem, working, r)[i] * nu[r];
            }

            Consider(i, i, bound[i] == AtLower ? t : -t);
        }

        for (var r = equalities; r < rows; r++)
        {
            Consider(n + r - equalities, n + working[r - equalities], nu[r]);
        }

        return (found, foundValue);
    }

    /// <summary>
    /// Moves along p as far as the constraints outside the working set allow, adding the one that blocks (on a tie the
    /// smallest constraint number). Returns the step length in (0, 1], or 0 at a degenerate vertex.
    /// </summary>
    private static double TakeStep(QuadraticProgram problem, double[] x, double[] p, sbyte[] bound, List<int> working, bool[] inWorking, out bool blocked)
    {
        var n = x.Length;
        var tiny = 1e-14 * MaxAbs(p);
        var alpha = 1.0;
        var blocking = -1;
        for (var i = 0; i < n; i++)
        {
            if (bound[i] != Free)
            {
                continue;
            }

            var limit = p[i] < -tiny ? (problem.Lower[i] - x[i]) / p[i] : p[i] > tiny ? (problem.Upper[i] - x[i]) / p[i] : double.PositiveInfinity;
            if (Math.Max(0, limit) < alpha)
            {
                (alpha, blocking) = (Math.Max(0, limit), i);
            }
        }

        for (var j = 0; j < inWorking.Length; j++)
        {
            if (inWorking[j])
            {
                continue;
            }

            var row = problem.InequalityRows.AsSpan(j * n, n);
            var d = DenseMatrix.Dot(row, p);
            if (d > tiny * (1 + MaxAbs(row)))
            {
                var limit = Math.Max(0, (problem.InequalityRhs[j] - DenseMatrix.Dot(row, x)) / d);
                if (limit < alpha)
                {
                    (alpha, blocking) = (limit, n + j);
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            x[i] += alpha * p[i];
        }

        blocked = blocking >= 0;
        if (!blocked)
        {
            return alpha;
        }

        if (blocking < n)
        {
            // Land exactly on the bound so the fixed variable carries no rounding.
            var atLower = p[blocking] < 0;
            bound[blocking] = atLower ? AtLower : AtUpper;
            x[blocking] = atLower ? problem.Lower[blocking] : problem.Upper[blocking];
        }
        else
        {
            working.Add(blocking - n);
            inWorking[blocking - n] = true;
        }

        return alpha;
    }

    /// <summary>Row r of M: the equality rows first, then the working inequalities in the order they were added.</summary>
    private static ReadOnlySpan<double> Row(QuadraticProgram problem, List<int> working, int r)
    {
        var n = problem.VariableCount;
        var equalities = problem.EqualityRhs.Length;
        return r < equalities
            ? problem.EqualityRows.AsSpan(r * n, n)
            : problem.InequalityRows.AsSpan(working[r - equalities] * n, n);
    }

    private static void CheckFeasible(QuadraticProgram problem, double[] x)
    {
        var n = x.Length;
        var tolerance = 1e-9 * (1 + MaxAbs(x));
        for (var i = 0; i < n; i++)
        {
            if (x[i] < problem.Lower[i] - tolerance || x[i] > problem.Upper[i] + tolerance)
            {
                throw new ArgumentException($"The start point is infeasible: variable {i} = {x[i]} lies outside [{problem.Lower[i]}, {problem.Upper[i]}].", nameof(x));
            }

            x[i] = Math.Clamp(x[i], problem.Lower[i], problem.Upper[i]);
        }

        for (var r = 0; r < problem.EqualityRhs.Length; r++)
        {
            var row = problem.EqualityRows.AsSpan(r * n, n);
            var residual = DenseMatrix.Dot(row, x) - problem.EqualityRhs[r];
            if (Math.Abs(residual) > tolerance * (1 + MaxAbs(row)))
            {
                throw new ArgumentException($"The start point is infeasible: equality {r} is off by {residual}.", nameof(x));
            }
        }

        for (var j = 0; j < problem.InequalityRhs.Length; j++)
        {
            var row = problem.InequalityRows.AsSpan(j * n, n);
            var excess = DenseMatrix.Dot(row, x) - problem.InequalityRhs[j];
            if (excess > tolerance * (1 + MaxAbs(row)))
            {
                throw new ArgumentException($"The start point is infeasible: inequality {j} is exceeded by {excess}.", nameof(x));
            }
        }
    }

    private static double MaxAbs(ReadOnlySpan<double> values)
    {
        var m = 0.0;
        foreach (var v in values)
        {
            m = Math.Max(m, Math.Abs(v));
        }

        return m;
    }
}
