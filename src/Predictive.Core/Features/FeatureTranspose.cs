using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Predictive.Core.Features;

/// <summary>
/// Writes the per-asset kernel's <c>[feature, asset]</c> scratch block into a bar's <c>[asset, feature]</c> row. Four
/// features with adjacent output columns and four assets move as one 4×4 block (eight AVX shuffles instead of sixteen
/// scalar stores); the rest is copied value by value. It only moves values, so it cannot change a bit.
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
            if (Avx.IsSupported && k + Block <= columns.Length && columns[k + Block - 1] == columns[k] + Block - 1 && IsRun(columns, k))
            {
                blocks.Add(k);
                k += Block;
            }
            else
            {
                singles.Add(k++);
            }
        }

        _blocks = [.. blocks];
        _singles = [.. singles];
    }

    /// <summary>Copies <paramref name="assets"/> lanes of every scratch row (rows <paramref name="width"/> apart) into <paramref name="row"/>.</summary>
    public void Write(ReadOnlySpan<double> scratch, int width, int assets, int featureCount, Span<double> row)
    {
        var grouped = _blocks.Length > 0 ? assets / Block * Block : 0;
        for (var a = 0; a < grouped; a += Block)
        {
            foreach (var k in _blocks)
            {
                var r0 = Vector256.Create(scratch.Slice((k * width) + a, Block));
                var r1 = Vector256.Create(scratch.Slice(((k + 1) * width) + a, Block));
                var r2 = Vector256.Create(scratch.Slice(((k + 2) * width) + a, Block));
                var r3 = Vector256.Create(scratch.Slice(((k + 3) * width) + a, Block));
                var even01 = Avx.UnpackLow(r0, r1);
                var odd01 = Avx.UnpackHigh(r0, r1);
                var even23 = Avx.UnpackLow(r2, r3);
                var odd23 = Avx.UnpackHigh(r2, r3);
                var at = (a * featureCount) + _columns[k];
                Avx.Permute2x128(even01, even23, 0x20).CopyTo(row.Slice(at, Block));
                Avx.Permute2x128(odd01, odd23, 0x20).CopyTo(row.Slice(at + featureCount, Block));
                Avx.Permute2x128(even01, even23, 0x31).CopyTo(row.Slice(at + (2 * featureCount), Block));
                Avx.Permute2x128(odd01, odd23, 0x31).CopyTo(row.Slice(at + (3 * featureCount), Block));
            }

            foreach (var k in _singles)
            {
                var source = scratch.Slice((k * width) + a, Block);
                var at = (a * featureCount) + _columns[k];
                for (var j = 0; j < source.Length; j++)
                {
                    row[at + (j * featureCount)] = source[j];
                }
            }
        }

        for (var k = 0; k < _columns.Length; k++)
        {
            var source = scratch.Slice(k * width, assets);
            var at = _columns[k];
            for (var a = grouped; a < source.Length; a++)
            {
                row[(a * featureCount) + at] = source[a];
            }
        }
    }

    private static bool IsRun(int[] columns, int k)
    {
        for (var j = 1; j < Block; j++)
        {
            if (columns[k + j] != columns[k] + j)
            {
                return false;
            }
        }

        return true;
    }
}
