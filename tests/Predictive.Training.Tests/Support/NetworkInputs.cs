using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Support;

/// <summary>Random network inputs: features around the scaler's statistics, some unavailable assets, simplex weights.</summary>
internal sealed class NetworkInputs
{
    public required int Batch { get; init; }

    public required int Assets { get; init; }

    public required int Features { get; init; }

    /// <summary>Torch form: 0 features where unavailable.</summary>
    public required float[] FeatureValues { get; init; }

    public required bool[] Mask { get; init; }

    public required float[] Held { get; init; }

    /// <summary>ONNX form: NaN features where unavailable.</summary>
    public float[] FeaturesWithNaN()
    {
        var x = (float[])FeatureValues.Clone();
        for (var i = 0; i < Mask.Length; i++)
        {
            if (!Mask[i])
            {
                Array.Fill(x, float.NaN, i * Features, Features);
            }
        }

        return x;
    }

    public static NetworkInputs Random(FeatureScaler scaler, int batch, int assets, int seed, double unavailableShare = 0.15)
    {
        var rng = new Random(seed);
        var f = scaler.FeatureCount;
        var x = new float[batch * assets * f];
        var mask = new bool[batch * assets];
        var held = new float[batch * assets];
        for (var b = 0; b < batch; b++)
        {
            var any = false;
            for (var a = 0; a < assets; a++)
            {
                var i = (b * assets) + a;
                mask[i] = rng.NextDouble() >= unavailableShare || (a == assets - 1 && !any);
                any |= mask[i];
                held[i] = (float)-Math.Log(1 - rng.NextDouble());
                for (var k = 0; k < f; k++)
                {
                    // ±3 standard deviations, so some values reach the clip.
                    x[(i * f) + k] = mask[i] ? scaler.Mean[k] + ((float)((rng.NextDouble() * 6) - 3) / scaler.InvStd[k]) : 0f;
                }
            }

            var sum = held.AsSpan(b * assets, assets).ToArray().Sum();
            for (var a = 0; a < assets; a++)
            {
                held[(b * assets) + a] /= sum;
            }
        }

        return new NetworkInputs { Batch = batch, Assets = assets, Features = f, FeatureValues = x, Mask = mask, Held = held };
    }
}
