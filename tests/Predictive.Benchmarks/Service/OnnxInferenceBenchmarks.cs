using BenchmarkDotNet.Attributes;
using Predictive.Core.Features;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// In-process ONNX Runtime for the served allocator path: one 20-asset portfolio (target p50 ≤ 50 µs), and 1,000
/// portfolios of 20 assets in one call (the inference part of the ≤ 20 ms batch target). The model is a linear
/// softmax allocator over the 11 close-only default features, loaded through the registry's checks.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OnnxInferenceBenchmarks : IDisposable
{
    private const int Assets = 20;
    private const int Portfolios = 1000;
    private string _directory = null!;
    private ModelRegistry _registry = null!;
    private OnnxAllocatorModel _model = null!;
    private PortfolioInput[] _one = null!;
    private PortfolioInput[] _batch = null!;
    private float[] _features = null!;
    private float[] _previous = null!;
    private float[] _weights = null!;

    [GlobalSetup]
    public void Setup()
    {
        var spec = FeatureSpec.Default.Where(f => !f.UsesVolume);
        var f = spec.Features.Count;
        _directory = Path.Combine(Path.GetTempPath(), "predictive-bench-" + Guid.NewGuid().ToString("N"));
        ModelPackage.Write(Path.Combine(_directory, "bench", "1"), Model(spec), "bench", "1");
        _registry = new ModelRegistry(_directory, TimeProvider.System);
        _model = _registry.Reload().Snapshot.Default ?? throw new InvalidOperationException("the benchmark model was refused");

        var rng = new Random(42);
        _batch = new PortfolioInput[Portfolios];
        for (var p = 0; p < Portfolios; p++)
        {
            var features = new float[Assets * f];
            for (var i = 0; i < features.Length; i++)
            {
                features[i] = (float)(rng.NextDouble() - 0.5);
            }

            _batch[p] = new PortfolioInput(features, Enumerable.Repeat(1f / Assets, Assets).ToArray());
        }

        _one = [_batch[0]];
        _features = _batch[0].Features.ToArray();
        _previous = _batch[0].PreviousWeights.ToArray();
        _weights = new float[Assets];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registry.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _registry?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The bare ORT call over caller-owned buffers.</summary>
    [Benchmark]
    public float RunOnePortfolio20Assets()
    {
        _model.Run(1, Assets, _features, _previous, _weights);
        return _weights[0];
    }

    /// <summary>What the service does per model: pooled buffers, ORT call, output check and renormalization.</summary>
    [Benchmark]
    public double[][] AllocateOnePortfolio20Assets() => BatchAllocator.Allocate(_model, _one);

    /// <summary>1,000 portfolios × 20 assets in one ORT call.</summary>
    [Benchmark]
    public double[][] Allocate1000Portfolios20Assets() => BatchAllocator.Allocate(_model, _batch);

    private static OnnxModel Model(FeatureSpec spec)
    {
        var f = spec.Features.Count;
        var w = Enumerable.Range(0, f).Select(i => 0.1f * ((i % 5) - 2)).ToArray();
        return new OnnxModelBuilder("bench")
            .AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", "assets", f)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", "assets")
            .AddInitializer(OnnxTensor.Float("w", [f, 1], w))
            .AddInitializer(OnnxTensor.Int64("shape", [2], [0, -1]))
            .AddNode("MatMul", [ModelContract.FeaturesInput, "w"], ["s3"])
            .AddNode("Reshape", ["s3", "shape"], ["s"])
            .AddNode("Add", ["s", ModelContract.PreviousWeightsInput], ["z"])
            .AddNode("Softmax", ["z"], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .AddMetadata(ModelMetadataKeys.FeatureSpec, spec.ToJson())
            .AddMetadata(ModelMetadataKeys.TrainingRange, "2020-01-01T00:00:00Z/2021-01-01T00:00:00Z")
            .AddMetadata(ModelMetadataKeys.ValidationMetrics, "{}")
            .AddMetadata(ModelMetadataKeys.Seed, "42")
            .AddMetadata(ModelMetadataKeys.ProducerVersion, "bench")
            .Build();
    }
}
