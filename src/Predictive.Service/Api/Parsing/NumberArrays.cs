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
/// Where each number ends comes from a bitmap of the ',' and ']' bytes (<see cref="Cursor"/>), not from reading the
/// number before: the numbers' scans then do not wait on each other, and the processor overlaps them.
/// </remarks>
internal static class NumberArrays
{
    private const int NeedMore = -1;
    private const int Fallback = -2;

    /// <summary>Why <see cref="Numbers"/> returned.</summary>
    private enum Stop
    {
        /// <summary>Past the row's ']'.</summary>
        RowEnd,

        /// <summary>The data ends before the next delimiter.</summary>
        DataEnd,

        /// <summary>At a number the short path does not take, or with the output full: the caller deals with it.</summary>
        Number,
    }

    private interface ISink
    {
        /// <summary>Appends <paramref name="x"/>; false (without a call) when there is no room.</summary>
        bool TryAdd(double x);

        /// <summary><see cref="TryAdd"/> for a value of <see cref="JsonNumber.ParseShort"/> (below 10 in magnitude).</summary>
        bool TryAddShort(double x);

        void Grow();
    }

    /// <summary>
    /// Scans the features array at <paramref name="i"/> (its '['), appending the values (float32; NaN for a value the
    /// model cannot take, as the reader path does) and one width per row.
    /// </summary>
    public static ScanStatus ScanFeatures(ReadOnlySpan<byte> json, ref int i, PooledBuffer<float> values, PooledBuffer<int> widths, out int width, out bool nonFinite)
    {
        width = -2;
        nonFinite = false;
        var cursor = new Cursor(json, i + 1);
        var k = JsonScan.SkipSpace(json, i + 1);
        if (k < json.Length && json[k] == (byte)']')
        {
            i = k + 1;
            return NextDelimiter(json, ref cursor) == k ? ScanStatus.Done : ScanStatus.Fallback;
        }

        var sink = new Floats(values);
        while (true)
        {
            if (k >= json.Length || json[k] != (byte)'[')
            {
                return JsonScan.Unexpected(json, k);
            }

            var rowStart = sink.Count;
            k = ScanRow(json, k, ref cursor, ref sink);
            if (k < 0)
            {
                return k == NeedMore ? ScanStatus.NeedMore : ScanStatus.Fallback;
            }

            var rowWidth = sink.Count - rowStart;
            widths.Add(rowWidth);
            width = width == -2 || width == rowWidth ? rowWidth : -1;

            // After the row: whitespace, then the ',' before the next row or the ']' that ends the value.
            var next = NextDelimiter(json, ref cursor);
            var after = JsonScan.SkipSpace(json, k);
            if (next != after)
            {
                return next < 0 ? JsonScan.Unexpected(json, after) : ScanStatus.Fallback;
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
    public static ScanStatus ScanWeights(ReadOnlySpan<byte> json, ref int i, PooledBuffer<double> weights, PooledBuffer<float> previous)
    {
        var cursor = new Cursor(json, i + 1);
        var sink = new Doubles(weights, previous);
        var end = ScanRow(json, i, ref cursor, ref sink);
        if (end < 0)
        {
            return end == NeedMore ? ScanStatus.NeedMore : ScanStatus.Fallback;
        }

        i = end;
        return ScanStatus.Done;
    }

    /// <summary>
    /// The numbers of the row whose '[' is at <paramref name="open"/>: the offset just past its ']', or
    /// <see cref="NeedMore"/> or <see cref="Fallback"/>. <see cref="Numbers"/> does the common case; this handles
    /// what it stops at.
    /// </summary>
    private static int ScanRow<TSink>(ReadOnlySpan<byte> json, int open, ref Cursor cursor, ref TSink sink)
        where TSink : struct, ISink
    {
        cursor.At = JsonScan.SkipSpace(json, open + 1);
        if (cursor.At < json.Length && json[cursor.At] == (byte)']')
        {
            // An empty row: only whitespace since its '[', so this ']' is the next delimiter.
            return NextDelimiter(json, ref cursor) + 1;
        }

        while (true)
        {
            switch (Numbers(json, ref cursor, ref sink))
            {
                case Stop.RowEnd:
                    return cursor.At;
                case Stop.DataEnd:
                    return NeedMore;
            }

            // The number from cursor.At (perhaps after more whitespace) to the delimiter at cursor.End, not yet taken.
            var end = cursor.End;
            var start = JsonScan.SkipSpace(json, cursor.At);
            var x = JsonNumber.ParseShort(json, start, end);
            if (double.IsNaN(x) && double.IsNaN(x = ParseOther(json, start, end)))
            {
                return Fallback;
            }

            if (!sink.TryAdd(x))
            {
                sink.Grow();
                sink.TryAdd(x);
            }

            NextDelimiter(json, ref cursor);
            if (json[end] == (byte)']')
            {
                return end + 1;
            }

            cursor.At = JsonScan.SkipSpace(json, end + 1);
        }
    }

    /// <summary>
    /// The hot loop: numbers of the short shape (<see cref="JsonNumber.ParseShort"/>) from <c>cursor.At</c>, each
    /// ended by the next delimiter of the bitmap, until the row ends or something needs the caller. It calls nothing
    /// (the bitmap is refilled inline), and its state lives in locals, so that it all stays in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Stop Numbers<TSink>(ReadOnlySpan<byte> json, ref Cursor cursor, ref TSink sink)
        where TSink : struct, ISink
    {
        var k = cursor.At;
        var block = cursor.Block;
        var mask = cursor.Mask;
        var row = sink;
        Stop stop;
        while (true)
        {
            if (mask == 0)
            {
                if (block + 64 >= json.Length)
                {
                    stop = Stop.DataEnd;
                    break;
                }

                block += 64;
                mask = Mask(json, block);
                continue;
            }

            var end = block + BitOperations.TrailingZeroCount(mask);
            var x = JsonNumber.ParseShort(json, k, end);
            if (double.IsNaN(x) || !row.TryAddShort(x))
            {
                cursor.End = end;
                stop = Stop.Number;
                break;
            }

            mask &= mask - 1;
            k = end + 1;
            if (json[end] == (byte)']')
            {
                stop = Stop.RowEnd;
                break;
            }

            // One space after the comma is usual; other whitespace makes ParseShort decline, and the caller skips it.
            if ((uint)k < (uint)json.Length && json[k] == (byte)' ')
            {
                k++;
            }
        }

        cursor.At = k;
        cursor.Block = block;
        cursor.Mask = mask;
        sink = row;
        return stop;
    }

    /// <summary>
    /// Any number <see cref="JsonNumber.ParseShort"/> does not take, possibly followed by whitespace up to the
    /// delimiter at <paramref name="end"/>; NaN (which no JSON number gives) when the bytes are not one.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ParseOther(ReadOnlySpan<byte> json, int start, int end)
    {
        var after = JsonNumber.Scan(json, start, out var x);
        return after >= 0 && JsonScan.SkipSpace(json, after) == end ? x : double.NaN;
    }

    /// <summary>
    /// The offset of the next ',' or ']' (consumed), or -1 when the data ends before one. Within a number array these
    /// are exactly the ends of its numbers and rows (strings, the only place they could hide, are not accepted).
    /// </summary>
    private static int NextDelimiter(ReadOnlySpan<byte> json, ref Cursor cursor)
    {
        while (cursor.Mask == 0)
        {
            if (cursor.Block + 64 >= json.Length)
            {
                return -1;
            }

            cursor.Block += 64;
            cursor.Mask = Mask(json, cursor.Block);
        }

        var at = cursor.Block + BitOperations.TrailingZeroCount(cursor.Mask);
        cursor.Mask &= cursor.Mask - 1;
        return at;
    }

    /// <summary>Bit j set when <c>json[at + j]</c> is ',' or ']' (j &lt; 64, within the data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(Vector128<byte> bytes) =>
        (Vector128.Equals(bytes, Vector128.Create((byte)',')) | Vector128.Equals(bytes, Vector128.Create((byte)']'))).ExtractMostSignificantBits();

    /// <summary>
    /// Where a scan is: <see cref="At"/> the next number, <see cref="End"/> the delimiter after it (when stopped
    /// there), and the delimiter bitmap (the 64-byte block and its bits not yet consumed).
    /// </summary>
    private struct Cursor(ReadOnlySpan<byte> json, int from)
    {
        public int At;
        public int End;
        public int Block = from;
        public ulong Mask = NumberArrays.Mask(json, from);
    }

    /// <summary>
    /// A feature value as the model's float32 input takes it; a value it cannot take (not finite, or beyond float32)
    /// becomes NaN and sets <paramref name="nonFinite"/>, for the model checks to report. Both parse paths use it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToFeature(double x, ref bool nonFinite)
    {
        if (Math.Abs(x) <= float.MaxValue)
        {
            return (float)x;
        }

        nonFinite = true;
        return float.NaN;
    }

    /// <summary>Feature values, appended through a copy of the buffer's array and count.</summary>
    private struct Floats(PooledBuffer<float> buffer) : ISink
    {
        private float[] _items = buffer.Array;

        public int Count { get; private set; } = buffer.Count;

        /// <summary>Whether a value was marked NaN (see <see cref="ToFeature"/>).</summary>
        public bool NonFinite;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAdd(double x)
        {
            if ((uint)Count >= (uint)_items.Length)
            {
                return false;
            }

            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_items), Count++) = ToFeature(x, ref NonFinite);
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAddShort(double x)
        {
            if ((uint)Count >= (uint)_items.Length)
            {
                return false;
            }

            // Always within float32 range: no NaN marker to consider.
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_items), Count++) = (float)x;
            return true;
        }

        public void Grow() => _items = buffer.Grow(Count);
    }

    /// <summary>Current weights, as double and as float32 (the buffers grow themselves; there are few).</summary>
    private readonly struct Doubles(PooledBuffer<double> weights, PooledBuffer<float> previous) : ISink
    {
        public bool TryAdd(double x)
        {
            weights.Add(x);
            previous.Add((float)x);
            return true;
        }

        public bool TryAddShort(double x) => TryAdd(x);

        public void Grow()
        {
        }
    }
}
