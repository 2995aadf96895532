using Microsoft.ML.OnnxRuntime;

namespace Predictive.Training.Tests.Support;

/// <summary>Runs models through real ONNX Runtime and (the official checker is Predictive.Tests.Shared.OnnxChecker).</summary>
internal static class OnnxTools
{
    public static float[] Run(InferenceSession session, float[] features, long[] featureShape, float[] prev, long[] prevShape)
    {
        using var x = OrtValue.CreateTensorValueFromMemory(features, featureShape);
        using var p = OrtValue.CreateTensorValueFromMemory(prev, prevShape);
        using var runOptions = new RunOptions();
        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal) { ["features"] = x, ["prev_weights"] = p };
        using var results = session.Run(runOptions, inputs, ["weights"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
