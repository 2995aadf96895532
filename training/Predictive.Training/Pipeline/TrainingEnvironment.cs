using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Inference;
using Predictive.Training.Torch;
using TorchSharp;

namespace Predictive.Training.Pipeline;

/// <summary>
/// What a trained model's bytes depend on besides the data, options and seed: libtorch's CPU kernel set and thread
/// counts, the TorchSharp, libtorch (or ML.NET, for GBM), ONNX Runtime and .NET versions. Recorded in <c>model.json</c> as
/// <c>environment</c> (see docs/training.md, "The default model").
/// </summary>
public static class TrainingEnvironment
{
    /// <summary>The record for a torch-trained model; checks first that libtorch runs the pinned kernel set.</summary>
    /// <exception cref="TorchKernelException">libtorch runs another kernel set.</exception>
    public static JsonObject ForTorch()
    {
        var kernels = TorchCpuKernels.EnsurePinned();
        var record = new JsonObject
        {
            ["torch_cpu_capability"] = kernels,
            ["torch_threads"] = torch.get_num_threads(),
            ["torch_interop_threads"] = torch.get_num_interop_threads(),
            ["torchsharp_version"] = Informational(typeof(torch).Assembly),
            ["libtorch_version"] = TorchCpuKernels.LibTorchVersion(),
        };
        AddCommon(record);
        return record;
    }

    /// <summary>The record for a GBM model (ML.NET FastTree; no libtorch involved).</summary>
    public static JsonObject ForGbm()
    {
        var record = new JsonObject { ["mlnet_version"] = Informational(typeof(Microsoft.ML.MLContext).Assembly) };
        AddCommon(record);
        return record;
    }

    private static void AddCommon(JsonObject record)
    {
        using var ort = OnnxSessions.CreateOptions();
        record["onnxruntime_version"] = OrtEnv.Instance().GetVersionString();
        record["onnxruntime_threads"] = new JsonObject { ["intra_op"] = ort.IntraOpNumThreads, ["inter_op"] = ort.InterOpNumThreads };
        record["dotnet_version"] = RuntimeInformation.FrameworkDescription;
        record["os_architecture"] = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    /// <summary>An assembly's informational version without a source-revision suffix.</summary>
    private static string Informational(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
