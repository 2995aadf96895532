using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Predictive.Core.Features;

/// <summary>
/// Writes the per-asset kernel's <c>[feature, asset]</c> scratch block into a bar's <c>[asset, feature]</c> row. Four
/// features with adjacent output columns and four assets move as one 4×4 block (eight AVX shuffles instead of sixteen
/// scalar stores); features in shorter runs and assets past the last whole group of four are copied value by value. It only moves values, so it cannot change a bit.
/// </summary>
internal sealed class FeatureTranspose
{
    private const int Block = 4;
    private readonly int[] _columns;
    private readonly int[] _blocks;
    private readonly int[] _singles;

    /// <param name="columns">The output column of each scratch row (feature).</param>
    public FeatureTranspose(int[] columns)
    {
        _columns = columns;
        var blocks = new List<int>();
        var singles = new List<int>();
        var k = 0;
        while (k < columns.Length)
        {
            // A run of features with adjacent output columns moves as 4×4 blocks; when its length is not a multiple of
            // four, the last block overlaps the one before it (a few values are written twice, with the same bits), so
            // no feature of the run falls back to scalar copies and no store reaches past the run.
            var run = 1;
            while (k + run < columns.Length && columns[k + run] == columns[k] + run)
            {
                run++;
            }

            if (Avx.IsSupported && run >= Block)
            {
                for (var j = 0; j + Block <= run; j += Block)
                {
                    blocks.Add(k + j);
                }

                if (run % Block != 0)
                {
                    blocks.Add(k + run - Block);
                }
            }
            else
            {
                singles.AddRange(Enumerable.Range(k, run));
            }

            k += run;
        }

        _blocks = [.. blocks];
        _singles = [.. singles];
    }

    /// <summary>Copies <paramref name="assets"/> lanes of every scratch row (rows <paramref name="width"/> apart) into <paramref name="row"/>.</summary>
    public void Write(ReadOnlySpan<double> scratch, int width, int assets, int featureCount, Span<double> row)
    {
        // One bounds check up front; the loops below then address by offset (this runs once per bar, so span slicing
        // and per-store checks were a large share of the kernel's per-bar cost).
        if (scratch.Length < _columns.Length * width || row.Length < assets * featureCount)
        {
            throw new ArgumentException($"the scratch block ({scratch.Length}) or the row ({row.Length}) is too short.", nameof(row));
        }

        ref var source = ref MemoryMarshal.GetReference(scratch);
        ref var target = ref MemoryMarshal.GetReference(row);
        var grouped = _blocks.Length > 0 ? assets / Block * Block : 0;
        var f = (nuint)featureCount;
        for (var a = 0; a < grouped; a += Block)
        {
            foreach (var k in _blocks)
            {
                var r0 = Vector256.LoadUnsafe(ref source, (nuint)((k * width) + a));
                var r1 = Vector256.LoadUnsafe(ref source, (nuint)(((k + 1) * width) + a));
                var r2 = Vector256.LoadUnsafe(ref source, (nuint)(((k + 2) * width) + a));
                var r3 = Vector256.LoadUnsafe(ref source, (nuint)(((k + 3) * width) + a));
                var even01 = Avx.UnpackLow(r0, r1);
                var odd01 = Avx.UnpackHigh(r0, r1);
                var even23 = Avx.UnpackLow(r2, r3);
                var odd23 = Avx.UnpackHigh(r2, r3);
                var at = (nuint)((a * featureCount) + _columns[k]);
                Avx.Permute2x128(even01, even23, 0x20).StoreUnsafe(ref target, at);
                Avx.Permute2x128(odd01, odd23, 0x20).StoreUnsafe(ref target, at + f);
                Avx.Permute2x128(even01, even23, 0x31).StoreUnsafe(ref target, at + (2 * f));
                Avx.Permute2x128(odd01, odd23, 0x31).StoreUnsafe(ref target, at + (3 * f));
            }
        }

        // Without blocks (no run of four, or no AVX) every feature is a single.
        foreach (var k in _singles)
        {
            ref var from = ref Unsafe.Add(ref source, k * width);
            ref var to = ref Unsafe.Add(ref target, _columns[k]);
            for (var a = 0; a < assets; a++)
            {
                Unsafe.Add(ref to, a * featureCount) = Unsafe.Add(ref from, a);
            }
        }

        if (_blocks.Length > 0)
        {
            foreach (var k in _blocks)
            {
                for (var j = 0; j < Block; j++)
                {
                    ref var from = ref Unsafe.Add(ref source, (k + j) * width);
                    ref var to = ref Unsafe.Add(ref target, _columns[k + j]);
                    for (var a = grouped; a < assets; a++)
                    {
                        Unsafe.Add(ref to, a * featureCount) = Unsafe.Add(ref from, a);
                    }
                }
            }
        }
    }
}
