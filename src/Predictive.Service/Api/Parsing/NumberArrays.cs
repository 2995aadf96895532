using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Predictive.Service.Api.Parsing;

/// <summary>
/// Direct scanners for the plain number arrays of a portfolio: <c>features</c> (<c>[[number, …], …]</c>) and
/// <c>currentWeights</c> (<c>[number, …]</c>), with JSON whitespace and nothing else. Each number's grammar is checked
/// and it is converted in one pass (<see cref="JsonNumber"/>), several times cheaper than a reader token per number.
/// Anything else (null rows, numbers as strings, NaN) gives <see cref="ScanStatus.Fallback"/> and the reader parses
/// the value instead, with its exact errors. On any status but Done the caller rolls the buffers back.
/// </summary>
/// <remarks>
/// Where each number ends comes from a bitmap of the ',' and ']' bytes (<see cref="Delimiters"/>), not from reading the
/// number before: the numbers' scans then do not wait on each other, and the processor overlaps them.
/// </remarks>
internal static class NumberArrays
{
    private const int NeedMore = -1;
    private const int Fallback = -2;

    private interface ISink
    {
        void Add(double x);
    }

    /// <summary>
    /// Scans the features array at <paramref name="i"/> (its '['), appending the values (float32; NaN for a value the
    /// model cannot take, as the reader path does) and one width per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ScanStatus ScanFeatures(ReadOnlySpan<byte> json, ref int i, PooledBuffer<float> values, PooledBuffer<int> widths, out int width, out bool nonFinite)
    {
        width = -2;
        nonFinite = false;
        var delimiters = new Delimiters(json, i + 1);
        var k = JsonScan.SkipSpace(json, i + 1);
        if (k < json.Length && json[k] == (byte)']')
        {
            i = k + 1;
            return delimiters.Next() == k ? ScanStatus.Done : ScanStatus.Fallback;
        }

        var sink = new Floats(values);
        while (true)
        {
            if (k >= json.Length || json[k] != (byte)'[')
            {
                return JsonScan.Unexpected(json, k);
            }

            var rowStart = sink.Count;
            k = ScanRow(json, k, ref delimiters, ref sink);
            if (k < 0)
            {
                return Status(k);
            }

            var rowWidth = sink.Count - rowStart;
            widths.Add(rowWidth);
            width = width == -2 || width == rowWidth ? rowWidth : -1;

            // After the row: whitespace, then the ',' before the next row or the ']' that ends the value.
            var next = delimiters.Next();
            if (next < 0 || JsonScan.SkipSpace(json, k) != next)
            {
                return next < 0 ? JsonScan.Unexpected(json, JsonScan.SkipSpace(json, k)) : ScanStatus.Fallback;
            }

            if (json[next] == (byte)']')
            {
                i = next + 1;
                values.SetCount(sink.Count);
                nonFinite = sink.NonFinite;
                return ScanStatus.Done;
            }

            k = JsonScan.SkipSpace(json, next + 1);
        }
    }

    /// <summary>Scans the weights array at <paramref name="i"/> (its '['), appending each as double and as float32.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ScanStatus ScanWeights(ReadOnlySpan<byte> json, ref int i, PooledBuffer<double> weights, PooledBuffer<float> previous)
    {
        var sink = new Doubles(weights, previous);
        var delimiters = new Delimiters(json, i + 1);
        var end = ScanRow(json, i, ref delimiters, ref sink);
        if (end < 0)
        {
            return Status(end);
        }

        i = end;
        return ScanStatus.Done;
    }

    private static ScanStatus Status(int failed) => failed == NeedMore ? ScanStatus.NeedMore : ScanStatus.Fallback;

    /// <summary>
    /// Numbers separated by commas, from the '[' at <paramref name="i"/> (whose delimiters are next in
    /// <paramref name="delimiters"/>): the offset just past the ']', or <see cref="NeedMore"/> or <see cref="Fallback"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScanRow<TSink>(ReadOnlySpan<byte> json, int i, ref Delimiters delimiters, ref TSink sink)
        where TSink : struct, ISink
    {
        var k = JsonScan.SkipSpace(json, i + 1);
        if (k < json.Length && json[k] == (byte)']')
        {
            // Only whitespace since the '[': this ']' is the next delimiter.
            return delimiters.Next() == k ? k + 1 : Fallback;
        }

        while (true)
        {
            var end = delimiters.Next();
            if (end < 0)
            {
                // The data ends before the next delimiter; what is there so far must still be a number's beginning.
                return NeedMore;
            }

            var x = JsonNumber.ParseShort(json, k, end);
            if (double.IsNaN(x) && double.IsNaN(x = ParseOther(json, k, end)))
            {
                return Fallback;
            }

            sink.Add(x);
            if (json[end] == (byte)']')
            {
                return end + 1;
            }

            k = end + 1;
            while (k < json.Length && JsonScan.IsSpace(json[k]))
            {
                k++;
            }
        }
    }

    /// <summary>
    /// Any other number (or one followed by whitespace) that ends before the delimiter at <paramref name="end"/>; NaN
    /// when the bytes are not a number. Kept out of the hot loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ParseOther(ReadOnlySpan<byte> json, int start, int end)
    {
        var after = JsonNumber.Scan(json, start, out var x);
        return after >= 0 && JsonScan.SkipSpace(json, after) == end ? x : double.NaN;
    }

    /// <summary>
    /// The ',' and ']' bytes of a value in order, from a bitmap of 64 bytes at a time. Within a number array they are
    /// exactly the ends of its numbers and rows (strings, the only place they could hide, send the scan back to the reader).
    /// </summary>
    private ref struct Delimiters(ReadOnlySpan<byte> json, int from)
    {
        private readonly ReadOnlySpan<byte> _json = json;
        private int _block = from;
        private ulong _mask = Mask(json, from);

        /// <summary>The offset of the next delimiter (consumed), or -1 when the data ends before one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next()
        {
            if (_mask == 0 && !Refill())
            {
                return -1;
            }

            var at = _block + BitOperations.TrailingZeroCount(_mask);
            _mask &= _mask - 1;
            return at;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool Refill()
        {
            while (_mask == 0)
            {
                if (_block + 64 >= _json.Length)
                {
                    return false;
                }

                _block += 64;
                _mask = Mask(_json, _block);
            }

            return true;
        }

        /// <summary>Bit j set when <c>json[at + j]</c> is ',' or ']' (j &lt; 64, within the data).</summary>
        private static ulong Mask(ReadOnlySpan<byte> json, int at)
        {
            if (at + 64 <= json.Length)
            {
                ref var start = ref Unsafe.Add(ref MemoryMarshal.GetReference(json), at);
                return Bits(Vector128.LoadUnsafe(ref start))
                    | (Bits(Vector128.LoadUnsafe(ref start, 16)) << 16)
                    | (Bits(Vector128.LoadUnsafe(ref start, 32)) << 32)
                    | (Bits(Vector128.LoadUnsafe(ref start, 48)) << 48);
            }

            ulong mask = 0;
            for (var j = at; j < json.Length; j++)
            {
                mask |= json[j] is (byte)',' or (byte)']' ? 1UL << (j - at) : 0;
            }

            return mask;
        }

        private static ulong Bits(Vector128<byte> bytes) =>
            (Vector128.Equals(bytes, Vector128.Create((byte)',')) | Vector128.Equals(bytes, Vector128.Create((byte)']'))).ExtractMostSignificantBits();
    }

    /// <summary>Feature values, appended through a local copy of the buffer's array and count.</summary>
    private struct Floats(PooledBuffer<float> buffer) : ISink
    {
        private float[] _items = buffer.Array;

        public int Count { get; private set; } = buffer.Count;

        public bool NonFinite { get; private set; }

        public void Add(double x)
        {
            // False for NaN and infinities too.
            var inRange = Math.Abs(x) <= float.MaxValue;
            NonFinite |= !inRange;
            if (Count == _items.Length)
            {
                _items = buffer.Grow(Count);
            }

            _items[Count++] = inRange ? (float)x : float.NaN;
        }
    }

    private readonly struct Doubles(PooledBuffer<double> weights, PooledBuffer<float> previous) : ISink
    {
        public void Add(double x)
        {
            weights.Add(x);
            previous.Add((float)x);
        }
    }
}
