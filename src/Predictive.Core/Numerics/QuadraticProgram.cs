namespace Predictive.Core.Numerics;

/// <summary>
/// A dense convex quadratic program
/// <c>minimize ½ xᵀQx − cᵀx  subject to  A x = b,  G x ≤ h,  lower ≤ x ≤ upper</c>,
/// sized for allocation problems (tens of variables). Solved by <see cref="ActiveSetQp"/>.
/// </summary>
/// <param name="Q">Row-major <c>n × n</c>, symmetric positive semi-definite (definite on the feasible directions for a unique answer).</param>
/// <param name="C">The linear term, length n.</param>
/// <param name="Lower">Lower bounds, length n; <see cref="double.NegativeInfinity"/> for none.</param>
/// <param name="Upper">Upper bounds, length n; <see cref="double.PositiveInfinity"/> for none.</param>
public sealed record QuadraticProgram(double[] Q, double[] C, double[] Lower, double[] Upper)
{
    /// <summary>The equality rows A, row-major <c>k × n</c>; linearly independent. Empty by default.</summary>
    public double[] EqualityRows { get; init; } = [];

    /// <summary>The right-hand side b, length k.</summary>
    public double[] EqualityRhs { get; init; } = [];

    /// <summary>The inequality rows G, row-major <c>l × n</c>. Empty by default.</summary>
    public double[] InequalityRows { get; init; } = [];

    /// <summary>The right-hand side h, length l.</summary>
    public double[] InequalityRhs { get; init; } = [];

    /// <summary>The number of variables n.</summary>
    public int VariableCount => C.Length;

    /// <summary>Throws when the arrays do not fit together or hold non-finite values where finite ones are needed.</summary>
    /// <exception cref="ArgumentException">A dimension or value is wrong; the message names it.</exception>
    public void Validate()
    {
        var n = C.Length;
        Require(Q.Length == n * n, nameof(Q), $"has {Q.Length} entries; {n} variables need {n * n}");
        Require(Lower.Length == n && Upper.Length == n, nameof(Lower), $"bounds have lengths {Lower.Length} and {Upper.Length}; expected {n}");
        Require(EqualityRows.Length == EqualityRhs.Length * n, nameof(EqualityRows), $"has {EqualityRows.Length} entries for {EqualityRhs.Length} right-hand sides of {n} variables");
        Require(InequalityRows.Length == InequalityRhs.Length * n, nameof(InequalityRows), $"has {InequalityRows.Length} entries for {InequalityRhs.Length} right-hand sides of {n} variables");
        Require(AllFinite(Q) && AllFinite(C) && AllFinite(EqualityRows) && AllFinite(EqualityRhs) && AllFinite(InequalityRows) && AllFinite(InequalityRhs), nameof(Q), "Q, c, A, b, G and h must be finite");
        for (var i = 0; i < n; i++)
        {
            Require(!double.IsNaN(Lower[i]) && !double.IsNaN(Upper[i]) && Lower[i] <= Upper[i], nameof(Lower), $"variable {i} has bounds [{Lower[i]}, {Upper[i]}]");
        }
    }

    private static bool AllFinite(double[] values) => Array.TrueForAll(values, double.IsFinite);

    private static void Require(bool ok, string name, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"The quadratic program's {name} is malformed: {problem}.", name);
        }
    }
}
