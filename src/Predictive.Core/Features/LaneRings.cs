using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Predictive.Core.Features;

/// <summary>The one-bar series of <see cref="BarRings"/>, in the order they sit in a ring row.</summary>
internal enum BarSeries
{
    /// <summary>The log return, 0 where missing.</summary>
    Return,

    /// <summary>The square of <see cref="Return"/>.</summary>
    ReturnSquare,

    /// <summary>1 where the return is missing, else 0.</summary>
    ReturnMissing,

    /// <summary>The square of min(<see cref="Return"/>, 0).</summary>
    DownSquare,

    /// <summary>log(1 + volume), 0 where missing.</summary>
    DollarVolume,

    DollarVolumeMissing,

    /// <summary>The scaled Amihud ratio, 0 where missing.</summary>
    Amihud,

    AmihudMissing,
}

/// <summary>
/// A ring buffer of each bar's one-bar series for every asset, shared by all windows: a row is <c>[series, asset]</c>.
/// Each series is stored ready to add: the value with NaN replaced by 0, its square where a window needs it, and a 0/1
/// missing flag, all computed once when the bar enters, so sliding a window is plain loads, adds and subtracts, and one
/// loop over a contiguous run of series slides all the sums a window keeps.
/// </summary>
internal sealed class BarRings
{
    public const int SeriesCount = (int)BarSeries.AmihudMissing + 1;

    public BarRings(int capacity, int width)
    {
        Width = width;
        Rows = new Ring(capacity, SeriesCount * width, 0);

        // Before any history every slot is a missing value: 0 in the sums, 1 in the missing counts.
        for (var slot = 0; slot < Rows.Capacity; slot++)
        {
            foreach (var s in (ReadOnlySpan<BarSeries>)[BarSeries.ReturnMissing, BarSeries.DollarVolumeMissing, BarSeries.AmihudMissing])
            {
                Rows.Slot(slot).Slice(Offset(s), width).Fill(1);
            }
        }
    }

    /// <summary>The lanes of one series.</summary>
    public int Width { get; }

    public Ring Rows { get; }

    /// <summary>Where series <paramref name="s"/> starts within a row (and within a <see cref="WindowSums"/> block).</summary>
    public int Offset(BarSeries s) => (int)s * Width;

    /// <summary>A reference to the first lane of series <paramref name="s"/> in bar <paramref name="step"/>'s row.</summary>
    public ref double Row(int step, BarSeries s) => ref Unsafe.Add(ref Rows.Row(step), Offset(s));
}

/// <summary>A power-of-two ring of bars, each a row of one value per asset lane.</summary>
internal sealed class Ring
{
    private readonly double[] _values;
    private readonly int _mask;
    private readonly int _width;

    /// <param name="capacity">The bars kept (rounded up to a power of two).</param>
    /// <param name="width">The lanes of a row.</param>
    /// <param name="initial">The value of every slot before it is first written (e.g. NaN: no history).</param>
    public Ring(int capacity, int width, double initial)
    {
        capacity = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _values = new double[capacity * width];
        Array.Fill(_values, initial);
        _mask = capacity - 1;
        _width = width;
    }

    /// <summary>The bars kept.</summary>
    public int Capacity => _mask + 1;

    /// <summary>All rows, slot after slot.</summary>
    public double[] Values => _values;

    /// <summary>Where the row of bar <paramref name="step"/> starts in <see cref="Values"/> (negative steps wrap to the initial rows).</summary>
    public int Offset(int step) => (step & _mask) * _width;

    /// <summary>A reference to the first lane of bar <paramref name="step"/>'s row.</summary>
    public ref double Row(int step) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), Offset(step));

    /// <summary>The row of bar <paramref name="step"/>.</summary>
    public Span<double> Slot(int step) => _values.AsSpan(Offset(step), _width);
}

/// <summary>Vector helpers over asset lanes; arrays are padded to a whole number of vectors.</summary>
internal static class Lanes
{
    public static int Pad(int n) => (n + Vector<double>.Count - 1) / Vector<double>.Count * Vector<double>.Count;

    public static Span<Vector<double>> AsVectors(double[] values) => MemoryMarshal.Cast<double, Vector<double>>(values.AsSpan());

    public static Span<Vector<long>> AsVectors(Span<long> values) => MemoryMarshal.Cast<long, Vector<long>>(values);

    public static Span<Vector<double>> AsVectors(Span<double> values) => MemoryMarshal.Cast<double, Vector<double>>(values);

    public static ReadOnlySpan<Vector<double>> AsVectors(ReadOnlySpan<double> values) => MemoryMarshal.Cast<double, Vector<double>>(values);

    /// <summary>The value, or 0 where it is NaN; <paramref name="missing"/> is 1 there and 0 elsewhere.</summary>
    public static Vector<double> OrZero(Vector<double> x, out Vector<double> missing)
    {
        var present = Vector.Equals(x, x);
        missing = Vector.ConditionalSelect(present, Vector<double>.Zero, Vector<double>.One);
        return Vector.ConditionalSelect(present, x, Vector<double>.Zero);
    }

    /// <summary>(v₀ + v₁) + (v₂ + v₃): a 4-lane total in one fixed order, so its bits do not depend on the CPU or the caller.</summary>
    public static double Sum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));

    /// <summary>min(x, 0) for a non-NaN x.</summary>
    public static Vector<double> NegativePart(Vector<double> x) => Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), x, Vector<double>.Zero);
}
