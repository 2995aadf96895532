namespace Predictive.Training.Gbm;

/// <summary>
/// The documented rule that turns the two regressors' predictions into target weights, identical in C# and in the
/// exported ONNX graph (docs/model-contract.md, "Gradient-boosted trees"):
/// <code>
/// available_a = every feature of asset a is finite
/// σ_a        = max(predicted volatility_a, VolatilityFloor)
/// z_a        = (predicted return_a / σ_a) / Temperature           (in float32, as the graph does)
/// weights    = softmax over available assets of z; unavailable assets get 0;
///              a row with no available asset is split equally across all assets.
/// </code>
/// Non-finite features are replaced by 0 before the trees see them, so the trees never meet NaN in either path.
/// </summary>
public static class GbmWeightRule
{
    /// <summary>The logit given to unavailable assets: exp of it underflows to exactly 0 next to any real logit.</summary>
    public const float MaskedLogit = -1e30f;

    /// <summary>Whether each asset of a row <c>[asset, feature]</c> has only finite features.</summary>
    public static void Availability(ReadOnlySpan<float> row, int featureCount, Span<bool> available)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        CheckLength(row.Length, available.Length * featureCount, nameof(row));
        for (var a = 0; a < available.Length; a++)
        {
            var ok = true;
            foreach (var v in row.Slice(a * featureCount, featureCount))
            {
                ok &= float.IsFinite(v);
            }

            available[a] = ok;
        }
    }

    /// <summary>Copies features with every non-finite value replaced by 0 (what the trees see in both paths).</summary>
    public static void Clean(ReadOnlySpan<float> features, Span<float> cleaned)
    {
        CheckLength(features.Length, cleaned.Length, nameof(features));
        for (var i = 0; i < features.Length; i++)
        {
            cleaned[i] = float.IsFinite(features[i]) ? features[i] : 0f;
        }
    }

    /// <summary>Applies the rule to one row of assets.</summary>
    /// <param name="predictedReturn">Predicted next-period return per asset.</param>
    /// <param name="predictedVolatility">Predicted next-period volatility per asset.</param>
    /// <param name="available">Which assets may be held.</param>
    /// <param name="temperature">Softmax temperature, &gt; 0.</param>
    /// <param name="volatilityFloor">Floor on the volatility, &gt; 0.</param>
    /// <param name="weights">Receives the weights; same length as the inputs.</param>
    public static void Apply(
        ReadOnlySpan<float> predictedReturn,
        ReadOnlySpan<float> predictedVolatility,
        ReadOnlySpan<bool> available,
        double temperature,
        double volatilityFloor,
        Span<float> weights)
    {
        var n = weights.Length;
        CheckLength(predictedReturn.Length, n, nameof(predictedReturn));
        CheckLength(predictedVolatility.Length, n, nameof(predictedVolatility));
        CheckLength(available.Length, n, nameof(available));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(volatilityFloor);
        var floor = (float)volatilityFloor;
        var t = (float)temperature;
        Span<float> z = n <= 256 ? stackalloc float[n] : new float[n];
        var max = float.NegativeInfinity;
        for (var a = 0; a < n; a++)
        {
            var sigma = Math.Max(predictedVolatility[a], floor);
            z[a] = available[a] ? predictedReturn[a] / sigma / t : MaskedLogit;
            max = Math.Max(max, z[a]);
        }

        double total = 0;
        for (var a = 0; a < n; a++)
        {
            total += Math.Exp((double)z[a] - max);
        }

        for (var a = 0; a < n; a++)
        {
            weights[a] = (float)(Math.Exp((double)z[a] - max) / total);
        }
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"'{name}' has {actual} values; expected {expected}.", name);
        }
    }
}
