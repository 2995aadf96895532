using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Predictive.Core.Synthetic;
using Predictive.Training.Data;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Benchmarks.Training;

/// <summary>
/// Single-portfolio latency of the same default EIIE (hidden 32, 20 assets): ONNX Runtime on the exported graph
/// (<c>InferenceSession.Run</c> with the input and output <see cref="OrtValue"/>s created once and reused) against a
/// TorchSharp eager <c>no_grad</c> forward with the input tensors created once. Both on one thread.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SinglePortfolioInferenceBenchmarks : IDisposable
{
    private const int Assets = 20;
    private EiieNetwork _network = null!;
    private Tensor _x = null!;
    private Tensor _m = null!;
    private Tensor _h = null!;
    private float[] _torchWeights = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue[] _inputs = null!;
    private OrtValue[] _outputs = null!;
    private float[] _ortWeights = null!;
    private readonly string[] _inputNames = ["features", "prev_weights"];
    private readonly string[] _outputNames = ["weights"];

    [GlobalSetup]
    public void Setup()
    {
        var panel = SyntheticMarket.Generate(new SyntheticMarketOptions { AssetCount = Assets, Bars = 500, Seed = 42 });
        var defaults = new TrainingOptions { Panel = panel };
        var data = TrainingDataset.Create(panel, defaults.ResolveSpec());
        TorchCpuKernels.Pin(); // the kernels training runs (AVX2), chosen at the first torch operation
        torch.set_num_threads(1);
        random.manual_seed(defaults.Seed);
        _network = new EiieNetwork(FeatureScaler.Fit(data, new SampleRange(0, data.SampleCount / 2)), defaults.Hidden);
        _network.eval();

        var sample = data.SampleCount - 1;
        var f = data.FeatureCount;
        var features = data.FeatureRow(sample).ToArray();
        var mask = data.MaskRow(sample).ToArray().Select(b => b ? 1f : 0f).ToArray();
        var held = new float[Assets];
        data.EqualWeightsInto(sample, held);
        _x = tensor(features, [1, Assets, f]);
        _m = tensor(mask, [1, Assets]);
        _h = tensor(held, [1, Assets]);
        _torchWeights = new float[Assets];

        var model = TorchOnnxExporter.Export(_network, new OnnxExportMetadata(data.Spec.ToJson(), data.DescribeRange(new SampleRange(0, 100)), "{}", defaults.Seed, "bench", null));
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model.ToByteArray(), sessionOptions);
        _runOptions = new RunOptions();

        // The served contract marks unavailable assets with NaN features (the dataset stores 0 and a mask).
        var onnxFeatures = (float[])features.Clone();
        for (var a = 0; a < Assets; a++)
        {
            if (mask[a] == 0)
            {
                Array.Fill(onnxFeatures, float.NaN, a * f, f);
            }
        }

        _ortWeights = new float[Assets];
        _inputs =
        [
            OrtValue.CreateTensorValueFromMemory(onnxFeatures, [1, Assets, f]),
            OrtValue.CreateTensorValueFromMemory(held, [1, Assets]),
        ];
        _outputs = [OrtValue.CreateTensorValueFromMemory(_ortWeights, [1, Assets])];
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        foreach (var v in (_inputs ?? []).Concat(_outputs ?? []))
        {
            v.Dispose();
        }

        _runOptions?.Dispose();
        _session?.Dispose();
        _x?.Dispose();
        _m?.Dispose();
        _h?.Dispose();
        _network?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public float OnnxRuntimeRun()
    {
        _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
        return _ortWeights[0];
    }

    [Benchmark]
    public float TorchSharpEagerNoGrad()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _network.forward(_x, _m, _h).data<float>().CopyTo(_torchWeights);
        return _torchWeights[0];
    }
}
