using Microsoft.ML.OnnxRuntime;

namespace Predictive.Onnx.Tests.Support;

/// <summary>Runs a model through real ONNX Runtime with float inputs and returns one float output.</summary>
internal static class OrtRunner
{
    public static float[] Run(InferenceSession session, string output, params (string Name, float[] Data, long[] Shape)[] inputs)
    {
        var values = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, data, shape) in inputs)
            {
                values[name] = OrtValue.CreateTensorValueFromMemory(data, shape);
            }

            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, values, [output]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }
        }
    }
}
