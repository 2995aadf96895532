using BenchmarkDotNet.Attributes;
using Predictive.Core.Features;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;
using Predictive.Tests.Shared;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// In-process ONNX Runtime for the served allocator path: one 20-asset portfolio (target p50 ≤ 50 µs), and 1,000
/// portfolios of 20 assets in one call (the inference part of the ≤ 20 ms batch target). Two models, both loaded
/// through the registry's checks and sessions: <c>default</c>, the bundled <c>models/default/1</c> the service serves
/// (EIIE, 13 features), and <c>linear</c>, a linear softmax allocator over the 11 close-only default features (a floor:
/// what ORT costs around almost no arithmetic). The 1,000 portfolios are consecutive slices of one tensor, as the
/// service's parser fills it, so the batch runs in place.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OnnxInferenceBenchmarks : IDisposable
{
    private const int Assets = 20;
    private const int Portfolios = 1000;
    private string? _directory;
    private ModelRegistry _registry = null!;
    private OnnxAllocatorModel _model = null!;
    private PortfolioInput[] _one = null!;
    private PortfolioInput[] _batch = null!;
    private float[] _oneFeatures = null!;
    private float[] _onePrevious = null!;
    private float[] _features = null!;
    private float[] _previous = null!;
    private float[] _weights = null!;

    /// <summary>Which model: <c>default</c> (models/default/1) or <c>linear</c>.</summary>
    [Params("default", "linear")]
    public string Model { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        if (Model == "linear")
        {
            _directory = Path.Combine(Path.GetTempPath(), "predictive-bench-" + Guid.NewGuid().ToString("N"));
            ModelPackage.Write(Path.Combine(_directory, "bench", "1"), Linear(FeatureSpec.Default.Where(f => !f.UsesVolume)), "bench", "1");
        }

        _registry = new ModelRegistry(_directory ?? RepositoryPaths.Combine("models"), TimeProvider.System);
        var snapshot = _registry.Reload().Snapshot;
        _model = snapshot.Default ?? throw new InvalidOperationException("the benchmark model was refused: " + string.Join("; ", snapshot.Refused.Select(r => r.Reason)));
        var f = _model.FeatureCount;
        var rng = new Random(42);
        _features = new float[Portfolios * Assets * f];
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = (float)(rng.NextDouble() - 0.5);
        }

        _previous = Enumerable.Repeat(1f / Assets, Portfolios * Assets).ToArray();
        _weights = new float[Portfolios * Assets];
        _batch = [.. Enumerable.Range(0, Portfolios).Select(p => new PortfolioInput(_features.AsMemory(p * Assets * f, Assets * f), _previous.AsMemory(p * Assets, Assets)))];
        _oneFeatures = _features[..(Assets * f)];
        _onePrevious = _previous[..Assets];
        _one = [new PortfolioInput(_oneFeatures, _onePrevious)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registry.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public void Dispose()
    {
        _registry?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The bare ORT call over caller-owned buffers, one portfolio.</summary>
    [Benchmark]
    public float RunOnePortfolio20Assets()
    {
        _model.Run(1, Assets, _oneFeatures, _onePrevious, _weights.AsMemory(0, Assets));
        return _weights[0];
    }

    /// <summary>What the service does per model: pooled buffers, ORT call, output check and renormalization.</summary>
    [Benchmark]
    public double[][] AllocateOnePortfolio20Assets() => BatchAllocator.Allocate(_model, _one);

    /// <summary>The bare ORT call on 1,000 portfolios × 20 assets.</summary>
    [Benchmark]
    public float Run1000Portfolios20Assets()
    {
        _model.Run(Portfolios, Assets, _features, _previous, _weights);
        return _weights[0];
    }

    /// <summary>The service path on 1,000 portfolios × 20 assets: one ORT call, output checks, renormalization.</summary>
    [Benchmark]
    public double[][] Allocate1000Portfolios20Assets() => BatchAllocator.Allocate(_model, _batch);

    private static OnnxModel Linear(FeatureSpec spec)
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
