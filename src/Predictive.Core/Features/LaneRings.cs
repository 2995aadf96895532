using System.Numerics;
using System.Runtime.InteropServices;

namespace Predictive.Core.Features;

/// <summary>Ring buffers of this bar's one-bar series for every asset, <c>[slot, asset]</c>, shared by all windows.</summary>
internal sealed class BarRings(int capacity, int width, bool usesVolume)
{
    public Ring Returns { get; } = new(capacity, width);

    public Ring DollarVolume { get; } = usesVolume ? new(capacity, width) : new(1, width);

    public Ring Amihud { get; } = usesVolume ? new(capacity, width) : new(1, width);
}

/// <summary>A power-of-two ring of bars, each a row of one value per asset lane; starts full of NaN (no history).</summary>
internal sealed class Ring
{
    private readonly double[] _values;
    private readonly int _mask;
    private readonly int _width;

    public Ring(int capacity, int width)
    {
        capacity = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _values = new double[capacity * width];
        Array.Fill(_values, double.NaN);
        _mask = capacity - 1;
        _width = width;
    }

    /// <summary>All rows, slot after slot.</summary>
    public double[] Values => _values;

    /// <summary>Where the row of bar <paramref name="step"/> starts in <see cref="Values"/>.</summary>
    public int Offset(int step) => (step & _mask) * _width;

    /// <summary>The row of bar <paramref name="step"/> (negative steps wrap to the initial NaN rows).</summary>
    public Span<double> Slot(int step) => _values.AsSpan((step & _mask) * _width, _width);
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

    /// <summary>min(x, 0) for a non-NaN x.</summary>
    public static Vector<double> NegativePart(Vector<double> x) => Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), x, Vector<double>.Zero);
}
