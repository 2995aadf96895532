using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Predictive.Onnx.Inference;

/// <summary>
/// Runs many portfolios through one model. Portfolios are grouped by asset count and each group is one
/// <c>InferenceSession.Run</c> over a [group, assets, features] batch; padding to a common asset count is not used,
/// because padded assets would take part in the softmax (or any cross-asset layer) and change every real weight.
/// Buffers come from <see cref="ArrayPool{T}"/>, so a steady load allocates little besides the results.
/// </summary>
public static class BatchAllocator
{
    /// <summary>
    /// Returns one weight vector per portfolio, in input order, checked and renormalized by <see cref="WeightGuard"/>.
    /// </summary>
    /// <param name="model">The model; the caller holds a reference to it.</param>
    /// <param name="portfolios">The portfolios.</param>
    /// <param name="names">Optional labels (portfolio ids) for error messages, one per portfolio.</param>
    /// <exception cref="ArgumentException">A portfolio's shape disagrees with the model.</exception>
    /// <exception cref="ModelOutputException">The model returned invalid weights for some portfolio.</exception>
    public static double[][] Allocate(OnnxAllocatorModel model, IReadOnlyList<PortfolioInput> portfolios, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(portfolios);
        var f = model.FeatureCount;
        var results = new double[portfolios.Count][];
        var groups = new Dictionary<int, List<int>>();
        for (var i = 0; i < portfolios.Count; i++)
        {
            var p = portfolios[i];
            if (p.Assets == 0 || p.Features.Length != p.Assets * f)
            {
                throw new ArgumentException($"portfolio {i} has {p.Features.Length} feature values for {p.Assets} assets; model '{model.Key}' needs {f} per asset.", nameof(portfolios));
            }

            if (!groups.TryGetValue(p.Assets, out var members))
            {
                groups[p.Assets] = members = [];
            }

            members.Add(i);
            results[i] = new double[p.Assets];
        }

        List<string>? problems = null;
        foreach (var (assets, members) in groups)
        {
            var found = RunGroup(model, portfolios, names, assets, members, results);
            if (found.Count > 0)
            {
                (problems ??= []).AddRange(found);
            }
        }

        return problems is null ? results : throw new ModelOutputException(model.Key, problems);
    }

    private static IReadOnlyList<string> RunGroup(OnnxAllocatorModel model, IReadOnlyList<PortfolioInput> portfolios, IReadOnlyList<string>? names, int assets, List<int> members, double[][] results)
    {
        var f = model.FeatureCount;
        var batch = members.Count;
        var cells = batch * assets;
        var destination = new double[batch][];
        for (var b = 0; b < batch; b++)
        {
            destination[b] = results[members[b]];
        }

        var labels = new Labels(names, members);
        var weightBuffer = ArrayPool<float>.Shared.Rent(cells);
        try
        {
            // A caller that parsed the batch into one buffer hands over consecutive slices: those are the tensor already.
            if (Contiguous(portfolios, members, p => p.Features, assets * f, out var features) && Contiguous(portfolios, members, p => p.PreviousWeights, assets, out var previous))
            {
                model.Run(batch, assets, features, previous, weightBuffer.AsMemory(0, cells));
                return WeightGuard.CheckAndNormalize(weightBuffer.AsSpan(0, cells), assets, destination, labels);
            }

            var featureBuffer = ArrayPool<float>.Shared.Rent(cells * f);
            var previousBuffer = ArrayPool<float>.Shared.Rent(cells);
            try
            {
                for (var b = 0; b < batch; b++)
                {
                    var p = portfolios[members[b]];
                    p.Features.Span.CopyTo(featureBuffer.AsSpan(b * assets * f, assets * f));
                    p.PreviousWeights.Span.CopyTo(previousBuffer.AsSpan(b * assets, assets));
                }

                model.Run(batch, assets, featureBuffer.AsMemory(0, cells * f), previousBuffer.AsMemory(0, cells), weightBuffer.AsMemory(0, cells));
                return WeightGuard.CheckAndNormalize(weightBuffer.AsSpan(0, cells), assets, destination, labels);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(featureBuffer);
                ArrayPool<float>.Shared.Return(previousBuffer);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(weightBuffer);
        }
    }

    /// <summary>Whether the members' slices follow each other in one array; if so, <paramref name="whole"/> spans them.</summary>
    private static bool Contiguous(IReadOnlyList<PortfolioInput> portfolios, List<int> members, Func<PortfolioInput, ReadOnlyMemory<float>> slice, int length, out Memory<float> whole)
    {
        whole = default;
        if (!MemoryMarshal.TryGetArray(slice(portfolios[members[0]]), out var first) || first.Array is null)
        {
            return false;
        }

        for (var b = 1; b < members.Count; b++)
        {
            if (!MemoryMarshal.TryGetArray(slice(portfolios[members[b]]), out var next) || next.Array != first.Array || next.Offset != first.Offset + (b * length))
            {
                return false;
            }
        }

        // The model only reads its inputs; ONNX Runtime's API takes them as writable memory.
        whole = first.Array.AsMemory(first.Offset, members.Count * length);
        return true;
    }

    /// <summary>Row labels for error messages, formatted only when a row is reported.</summary>
    private sealed class Labels(IReadOnlyList<string>? names, List<int> members) : IReadOnlyList<string>
    {
        public int Count => members.Count;

        public string this[int index] => names is null
            ? string.Create(CultureInfo.InvariantCulture, $"portfolio {members[index]}")
            : $"portfolio '{names[members[index]]}'";

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
