using System.Globalization;
using Predictive.Onnx.Contract;

namespace Predictive.Onnx.Inference;

/// <summary>
/// Checks every row a model returns and renormalizes it. A row is accepted when every weight is finite and ≥ 0 and the
/// float32 sum is within <see cref="ModelContract.SumTolerance"/> (1e-4) of 1; it is then divided by its sum in double
/// precision, so the weights handed out sum to 1 within <see cref="RenormalizedTolerance"/> (1e-6).
/// </summary>
public static class WeightGuard
{
    /// <summary>How far a renormalized row may be from 1.</summary>
    public const double RenormalizedTolerance = 1e-6;

    /// <summary>
    /// Checks the rows of <paramref name="weights"/> (row-major [rows, assets]) and writes them renormalized into
    /// <paramref name="destination"/>; returns the problems found (empty when every row was accepted).
    /// </summary>
    /// <param name="weights">The raw model output.</param>
    /// <param name="assets">The row length.</param>
    /// <param name="destination">One array of length <paramref name="assets"/> per row.</param>
    /// <param name="rowNames">Optional row labels for messages (for example portfolio ids).</param>
    public static IReadOnlyList<string> CheckAndNormalize(ReadOnlySpan<float> weights, int assets, IReadOnlyList<double[]> destination, IReadOnlyList<string>? rowNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(assets);
        ArgumentNullException.ThrowIfNull(destination);
        if (weights.Length != destination.Count * assets)
        {
            throw new ArgumentException($"weights has {weights.Length} values; expected {destination.Count} rows × {assets} assets.", nameof(weights));
        }

        List<string>? problems = null;
        for (var row = 0; row < destination.Count; row++)
        {
            var slice = weights.Slice(row * assets, assets);
            double sum = 0;
            var ok = true;
            for (var a = 0; a < assets; a++)
            {
                var w = slice[a];
                if (!float.IsFinite(w) || w < 0)
                {
                    (problems ??= []).Add(Invariant($"{Label(rowNames, row)} asset {a} has weight {w}; weights must be finite and ≥ 0"));
                    ok = false;
                    break;
                }

                sum += w;
            }

            if (ok && Math.Abs(sum - 1) > ModelContract.SumTolerance)
            {
                (problems ??= []).Add(Invariant($"{Label(rowNames, row)} sums to {sum:R}; weights must sum to 1 within {ModelContract.SumTolerance}"));
                ok = false;
            }

            if (!ok)
            {
                continue;
            }

            var target = destination[row];
            double check = 0;
            for (var a = 0; a < assets; a++)
            {
                target[a] = slice[a] / sum;
                check += target[a];
            }

            if (Math.Abs(check - 1) > RenormalizedTolerance)
            {
                (problems ??= []).Add(Invariant($"{Label(rowNames, row)} sums to {check:R} after renormalization"));
            }
        }

        return problems ?? (IReadOnlyList<string>)[];
    }

    // Only for rows that are reported: a label costs a formatted string, and a batch has thousands of rows.
    private static string Label(IReadOnlyList<string>? rowNames, int row) => rowNames is null ? Invariant($"row {row}") : rowNames[row];

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
