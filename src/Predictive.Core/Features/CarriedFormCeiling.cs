using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Predictive.Core.MarketData;
using static Predictive.Core.Features.Lanes;

namespace Predictive.Core.Features;

/// <summary>
/// An upper bound on dᵀΣd for the <see cref="RiskEstimator"/> estimate Σ of the window ending at a bar, kept in O(n) per
/// bar without forming or moving the estimate: per asset the window's Σr and Σr² of the log returns (Σr² with a bound on
/// its rounding), and a carried drift e₀ with the window's Σₛ(rₛᵀe₀)², each updated as one bar enters and one leaves.
/// A backtest asks it first and moves <see cref="RollingRiskEstimator"/> only on the bars it does not settle.
/// </summary>
/// <remarks>
/// <para>The estimate is δF + (1 − δ)S with δ in [0, 1], so dᵀΣd is at most the larger of dᵀSd and dᵀFd.</para>
/// <para><b>dᵀSd.</b> S = (1/T)·Σₛ(rₛ − μ)(rₛ − μ)ᵀ (divisor T) is positive semi-definite, so ‖x‖ = √(xᵀSx) is a
/// seminorm with ‖eᵢ‖ = sdᵢ, and xᵀSx ≤ (1/T)·Σₛ(rₛᵀx)² (removing the mean only lowers a sum of squares). With
/// d = e₀ + Δ: √(dᵀSd) ≤ √(Q/T) + Σ|Δᵢ|·sdᵢ, Q = Σₛ(rₛᵀe₀)² over the window. The rounding of each rₛᵀe₀ (n
/// products and sums, at most (n + 2)·2⁻⁵³·Σ|rₛᵢ||e₀ᵢ|) adds at most (n + 2)·2⁻⁵³·‖e₀‖₁·√(ΣᵢΣr²ᵢ) to √Q.</para>
/// <para><b>dᵀFd.</b> F has S's diagonal and r̄·sdᵢ·sdⱼ off it, r̄ in [−1/(m − 1), 1] for the m assets with sd &gt; 0,
/// so dᵀFd = (1 − r̄)·Σdᵢ²sᵢᵢ + r̄·(Σdᵢsdᵢ)² is at most the larger of (Σdᵢsdᵢ)² and m/(m − 1)·Σdᵢ²sᵢᵢ. The
/// variances here are the window's, sᵢᵢ = Σr²/T − (Σr/T)², from the kept sums: they differ from the estimate's by
/// rounding, which the widening below covers; the sds in Σ|Δᵢ|·sdᵢ use Σr²/T plus its rounding bound instead, never
/// below the estimate's.</para>
/// <para>The bound is widened by 10⁻⁶ of itself and by 10⁻⁷·(Σ|dᵢ|(sdᵢ + |μᵢ|))², as
/// <see cref="RollingRiskEstimator.QuadraticCarriedBound(ReadOnlySpan{double})"/> is: far above the estimate's own
/// rounding (the rolling estimate keeps within 10⁻⁹ of each entry's scale). It is NaN, not known, when no drift is
/// carried, some dᵢ is NaN, a return is missing in the window (the estimate then leaves that asset out and the forms
/// above need not hold for it), or some asset's returns are nearly constant (a variance below 1/64 of Σr²/T, where an
/// estimate's variance is rounding and its correlations are noise).</para>
/// </remarks>
internal sealed class CarriedFormCeiling
{
    /// <summary>Windows between recomputations of the sums from the window.</summary>
    private const int ExactEveryWindows = 8;

    /// <summary>How far below Σr²/T, as a fraction, a variance may fall before the window counts as nearly constant (1/64).</summary>
    private const double NearlyConstant = 64;

    /// <summary>Four units of rounding (2⁻⁵³ each): the bound one update of a running sum of squares adds, per unit of the magnitudes it rounds.</summary>
    private static readonly double PerUpdate = 4 * Math.ScaleB(1, -53);

    private readonly double[] _returns;
    private readonly int _n;
    private readonly int _t;
    private readonly int _stride;
    private readonly double _perWindow;

    /// <summary>The rounding of one product rₛᵀe₀, per unit of Σ|rₛᵢ||e₀ᵢ|: (n + 2)·2⁻⁵³, kept a hair high.</summary>
    private readonly double _dotRounding;
    private readonly double[] _squares;
    private readonly double[] _sums;
    private readonly double[] _rounding;

    /// <summary>A bound on the rounding the running Σr have taken up since they were last summed afresh.</summary>
    private readonly double[] _sumRounding;
    private readonly double[] _entering;
    private readonly double[] _leaving;
    private readonly double[] _current;
    private readonly double[] _target;
    private readonly double[] _noReturn;
    private readonly double[] _e0;

    /// <summary>rₛᵀe₀ of each bar of the window, by ring slot.</summary>
    private readonly double[] _z;
    private int _sinceExact;
    private int _missing;
    private bool _carrying;
    private double _q;
    private double _qRounding;
    private double _e0Size;

    /// <summary>Creates a ceiling for <paramref name="estimator"/>'s windows over <paramref name="panel"/>.</summary>
    /// <param name="estimator">The estimate whose forms are bounded (its window length).</param>
    /// <param name="panel">The closes; the ceiling reads bars up to the one it is moved to.</param>
    public CarriedFormCeiling(RiskEstimator estimator, PricePanel panel)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(panel);
        _n = panel.AssetCount;
        _t = estimator.Window;
        _perWindow = 1.0 / _t;
        _dotRounding = (_n + 2) * Math.ScaleB(1, -53) * 1.01;
        _returns = LogReturnTable.Of(panel);
        var w = _stride = (_n + Vector256<double>.Count - 1) / Vector256<double>.Count * Vector256<double>.Count;
        (_squares, _sums, _rounding, _sumRounding, _e0) = (new double[w], new double[w], new double[w], new double[w], new double[w]);
        (_entering, _leaving, _current, _target, _noReturn) = (new double[w], new double[w], new double[w], new double[w], new double[w]);
        _noReturn.AsSpan(0, _n).Fill(double.NaN);
        _z = new double[_t];
        BarCount = panel.BarCount;
        Bar = -1;
    }

    /// <summary>The bar the window ends at; −1 before the first <see cref="MoveTo"/>.</summary>
    public int Bar { get; private set; }

    /// <summary>Whether the window holds every return (the ceiling can answer only then; carrying a drift before that is wasted).</summary>
    public bool WholeWindow => _missing == 0;

    /// <summary>Whether a drift is carried (from <see cref="Carry"/> until the window is summed afresh).</summary>
    public bool Carrying => _carrying;

    /// <summary>Bars the carried drift has been carried through since it was set (0 right after <see cref="Carry"/>).</summary>
    public int CarriedBars { get; private set; }

    private int BarCount { get; }

    /// <summary>Moves the window to end at <paramref name="bar"/>: bar by bar when that is no more work than summing the window afresh (which drops the carried drift).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bar is outside the panel.</exception>
    public void MoveTo(int bar)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bar);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bar, BarCount);
        if (Bar < 0 || bar < Bar || bar - Bar > _t || _sinceExact + (bar - Bar) > ExactEveryWindows * _t)
        {
            Recompute(bar);
            return;
        }

        while (Bar < bar)
        {
            Step();
        }
    }

    /// <summary>
    /// Carries d = <paramref name="current"/> − <paramref name="target"/> from this bar: e₀ = d and Q from the window,
    /// in O(n·T). Nothing is carried when some dᵢ is NaN.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ceiling has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException">A span does not hold one value per asset.</exception>
    public void Carry(ReadOnlySpan<double> current, ReadOnlySpan<double> target)
    {
        CheckForm(current, target);
        double size = 0;
        for (var i = 0; i < _n; i++)
        {
            _e0[i] = current[i] - target[i];
            size += Math.Abs(_e0[i]);
        }

        _carrying = double.IsFinite(size);
        if (!_carrying)
        {
            return;
        }

        _e0Size = size;
        double q = 0;
        for (var k = Bar - _t + 1; k <= Bar; k++)
        {
            var z = _z[Slot(k)] = k >= 1 ? Dot(ref Row(k, _entering)) : 0;
            q += z * z;
        }

        // A sum of T squares, each rounded: within (T + 1)·2⁻⁵³ of itself.
        (_q, _qRounding, CarriedBars) = (q, _t * PerUpdate * q, 0);
    }

    /// <summary>
    /// A number at least <see cref="RollingRiskEstimator.Quadratic"/> of d = <paramref name="current"/> −
    /// <paramref name="target"/> at <see cref="Bar"/> (and the two-pass estimate's form, to its rounding); NaN when not
    /// known (see the remarks).
    /// </summary>
    /// <exception cref="InvalidOperationException">The ceiling has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException">A span does not hold one value per asset.</exception>
    public double QuadraticCeiling(ReadOnlySpan<double> current, ReadOnlySpan<double> target)
    {
        CheckForm(current, target);
        if (!_carrying || _missing > 0)
        {
            return double.NaN;
        }

        // Every per-asset array holds w values (w the padded width), and so do the weights when n = w: read through
        // references without bounds checks; otherwise through padded copies.
        ref readonly double wr = ref MemoryMarshal.GetReference(current), gr = ref MemoryMarshal.GetReference(target);
        if (_n != _stride)
        {
            current.CopyTo(_current);
            target.CopyTo(_target);
            wr = ref MemoryMarshal.GetArrayDataReference(_current);
            gr = ref MemoryMarshal.GetArrayDataReference(_target);
        }

        ref var squares = ref MemoryMarshal.GetArrayDataReference(_squares);
        ref var sums = ref MemoryMarshal.GetArrayDataReference(_sums);
        ref var rounding = ref MemoryMarshal.GetArrayDataReference(_rounding);
        ref var sumRounding = ref MemoryMarshal.GetArrayDataReference(_sumRounding);
        ref var e0 = ref MemoryMarshal.GetArrayDataReference(_e0);
        var (window, perBar, constant) = (Vector256.Create((double)_t), Vector256.Create(_perWindow), Vector256.Create(NearlyConstant));
        var (two, perUpdate, precision) = (Vector256.Create(2.0), Vector256.Create(PerUpdate), Vector256.Create(1e7));
        Vector256<double> moved = default, distance = default, signed = default, diagonal = default, scale = default, total = default, bad = default;
        var positive = 0;
        for (nuint k = 0, width = (nuint)_stride; k < width; k += (nuint)Vector256<double>.Count)
        {
            var d = Vector256.LoadUnsafe(in wr, k) - Vector256.LoadUnsafe(in gr, k);
            var (s2, s1) = (Vector256.LoadUnsafe(ref squares, k), Vector256.LoadUnsafe(ref sums, k));
            var (r2, r1) = (Vector256.LoadUnsafe(ref rounding, k), Vector256.LoadUnsafe(ref sumRounding, k));
            // Not known: NaN in d; T²·variance = T·Σr² − (Σr)² below 1/64 of T·Σr² (an asset with returns, nearly
            // constant); Σr² within its rounding of 0 (the window's returns may all be 0, an asset the estimate leaves
            // out, which m must not count); or T²·variance not above 10⁷ times its rounding (T·that of Σr², that of
            // (Σr)², and the expression's own), after a volatile stretch whose rounding the running sums still carry.
            var second = s2 * window;
            var spread = second - (s1 * s1);
            var has = Vector256.GreaterThan(s2, Vector256<double>.Zero);
            var error = (window * r2) + (((Vector256.Abs(s1) * two) + r1) * r1) + ((second + (s1 * s1)) * perUpdate);
            bad |= ~Vector256.Equals(d, d) | (has & ~Vector256.GreaterThanOrEqual(spread * constant, second))
                | (has & ~Vector256.GreaterThan(s2, r2)) | (has & ~Vector256.GreaterThan(spread, error * precision));
            positive += BitOperations.PopCount(has.ExtractMostSignificantBits());
            // The window's variance and sd (for dᵀFd); Σr² plus its rounding bound (for the moved part, no lower than T
            // times the estimate's variance).
            var variance = Vector256.MaxNative(spread, Vector256<double>.Zero) * (perBar * perBar);
            var sd = Vector256.Sqrt(variance);
            var high = s2 + r2;
            var step = Vector256.Abs(d - Vector256.LoadUnsafe(ref e0, k));
            distance += step;
            moved = Vector256.FusedMultiplyAdd(step, high, moved);
            signed = Vector256.FusedMultiplyAdd(d, sd, signed);
            diagonal = Vector256.FusedMultiplyAdd(d * d, variance, diagonal);
            scale = Vector256.FusedMultiplyAdd(Vector256.Abs(d), sd + Vector256.Abs(s1 * perBar), scale);
            total += high;
        }

        if (bad != Vector256<double>.Zero)
        {
            return double.NaN;
        }

        // √(dᵀSd) ≤ √(Q/T) (Q widened by its running rounding and each product's) + Σ|Δᵢ|·sdᵢ, and
        // Σ|Δᵢ|·sdᵢ ≤ √(Σ|Δᵢ| · Σ|Δᵢ|·Σr²ᵢ/T) (Cauchy–Schwarz: one square root, not one per asset); square roots and
        // sums rounded within 10⁻¹² of themselves, far inside the widening.
        var carried = Math.Sqrt((_q + _qRounding) * _perWindow) + (_dotRounding * _e0Size * Math.Sqrt(Sum(total) * _perWindow));
        var sample = carried + Math.Sqrt(Sum(distance) * Sum(moved) * _perWindow);
        var form = sample * sample;
        var along = Math.Abs(Sum(signed));
        var target2 = Math.Max(along * along, positive > 1 ? Sum(diagonal) * positive / (positive - 1) : Sum(diagonal));
        var size = Sum(scale);
        return (Math.Max(form, target2) * (1 + 1e-6)) + (1e-7 * size * size);
    }

    /// <summary>Adds bar <see cref="Bar"/> + 1 to the window and removes the oldest; the carried drift follows.</summary>
    private void Step()
    {
        var bar = Bar + 1;
        var leaving = bar - _t;
        ref var enter = ref Row(bar, _entering);
        // A bar before the table's second has no return: NaN in every asset, as Recompute counted it.
        ref var leave = ref leaving >= 1 ? ref Row(leaving, _leaving) : ref MemoryMarshal.GetArrayDataReference(_noReturn);
        ref var squares = ref MemoryMarshal.GetArrayDataReference(_squares);
        ref var sums = ref MemoryMarshal.GetArrayDataReference(_sums);
        ref var rounding = ref MemoryMarshal.GetArrayDataReference(_rounding);
        ref var sumRounding = ref MemoryMarshal.GetArrayDataReference(_sumRounding);
        ref var e0 = ref MemoryMarshal.GetArrayDataReference(_e0);
        var perUpdate = Vector256.Create(PerUpdate);
        var (dot, gap) = (Vector256<double>.Zero, Vector256<double>.Zero);
        for (nuint k = 0, width = (nuint)_stride; k < width; k += (nuint)Vector256<double>.Count)
        {
            var (rx, ry) = (Vector256.LoadUnsafe(ref enter, k), Vector256.LoadUnsafe(ref leave, k));
            var (fx, fy) = (Vector256.Equals(rx - rx, Vector256<double>.Zero), Vector256.Equals(ry - ry, Vector256<double>.Zero));
            gap |= ~(fx & fy);
            var (x, y) = (Vector256.ConditionalSelect(fx, rx, Vector256<double>.Zero), Vector256.ConditionalSelect(fy, ry, Vector256<double>.Zero));
            var added = Vector256.FusedMultiplyAdd(x, x, Vector256.LoadUnsafe(ref squares, k));
            var y2 = y * y;
            (added - y2).StoreUnsafe(ref squares, k);
            var moved = Vector256.LoadUnsafe(ref sums, k) + (x - y);
            moved.StoreUnsafe(ref sums, k);
            Vector256.FusedMultiplyAdd(perUpdate, Vector256.Abs(moved) + Vector256.Abs(x) + Vector256.Abs(y), Vector256.LoadUnsafe(ref sumRounding, k)).StoreUnsafe(ref sumRounding, k);
            Vector256.FusedMultiplyAdd(perUpdate, Vector256.Abs(added) + y2, Vector256.LoadUnsafe(ref rounding, k)).StoreUnsafe(ref rounding, k);
            dot = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref e0, k), dot);
        }

        // A missing return entered or left (the usual bar has neither; padding lanes hold 0, never NaN): recount them.
        if (gap != Vector256<double>.Zero)
        {
            for (var a = 0; a < _n; a++)
            {
                _missing += (double.IsFinite(Unsafe.Add(ref enter, a)) ? 0 : 1) - (double.IsFinite(Unsafe.Add(ref leave, a)) ? 0 : 1);
            }
        }

        var slot = Slot(bar);
        if (_carrying)
        {
            var (z, old) = (Sum(dot), _z[slot]);
            var added = _q + (z * z);
            _q = added - (old * old);
            _qRounding += PerUpdate * (Math.Abs(added) + (old * old));
            _z[slot] = z;
            CarriedBars++;
        }

        Bar = bar;
        _sinceExact++;
    }

    /// <summary>Sums the window ending at <paramref name="bar"/> afresh (the rounding bound starts at that of T additions) and drops the carried drift.</summary>
    private void Recompute(int bar)
    {
        Array.Clear(_squares);
        Array.Clear(_sums);
        Array.Clear(_sumRounding);
        _missing = 0;
        for (var k = bar - _t + 1; k <= bar; k++)
        {
            for (var a = 0; a < _n; a++)
            {
                var r = k >= 1 ? _returns[(k * _n) + a] : double.NaN;
                if (double.IsFinite(r))
                {
                    _squares[a] += r * r;
                    _sums[a] += r;
                    _sumRounding[a] += Math.Abs(r);
                }
                else
                {
                    _missing++;
                }
            }
        }

        for (var a = 0; a < _n; a++)
        {
            // A sum of T nonnegative terms, each rounded, is within (T + 1)·2⁻⁵³ of itself; PerUpdate is four units.
            _rounding[a] = _t * PerUpdate * _squares[a];
            _sumRounding[a] *= _t * PerUpdate;
        }

        Bar = bar;
        _sinceExact = 0;
        _carrying = false;
    }

    /// <summary>rᵀe₀ of a padded row of returns (no NaN: the window has none while a drift is carried).</summary>
    private double Dot(ref double row)
    {
        ref var e0 = ref MemoryMarshal.GetArrayDataReference(_e0);
        var dot = Vector256<double>.Zero;
        for (nuint k = 0, width = (nuint)_stride; k < width; k += (nuint)Vector256<double>.Count)
        {
            var r = Vector256.LoadUnsafe(ref row, k);
            dot = Vector256.FusedMultiplyAdd(Vector256.ConditionalSelect(Vector256.Equals(r - r, Vector256<double>.Zero), r, Vector256<double>.Zero), Vector256.LoadUnsafe(ref e0, k), dot);
        }

        return Sum(dot);
    }

    private void CheckForm(ReadOnlySpan<double> current, ReadOnlySpan<double> target)
    {
        if (Bar < 0)
        {
            throw new InvalidOperationException("The carried form ceiling has no bar yet; call MoveTo first.");
        }

        if (current.Length != _n || target.Length != _n)
        {
            throw new ArgumentException($"current and target must hold {_n} values each; got {current.Length} and {target.Length}.", nameof(current));
        }
    }

    private int Slot(int bar) => ((bar % _t) + _t) % _t;

    /// <summary>Bar <paramref name="bar"/>'s returns as a padded row (<see cref="LogReturnTable.PaddedRow"/>).</summary>
    private ref double Row(int bar, double[] scratch) => ref LogReturnTable.PaddedRow(_returns, _n, bar, scratch);
}
