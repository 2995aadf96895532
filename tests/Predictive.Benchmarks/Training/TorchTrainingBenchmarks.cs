using BenchmarkDotNet.Attributes;
using Predictive.Core.Synthetic;
using Predictive.Training.Data;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Benchmarks.Training;

/// <summary>
/// One optimizer step of the default EIIE (hidden 32, Adam 1e-3, negative-Sharpe loss with 10 bps costs) on a default
/// batch of 64 consecutive periods × 21 assets, done the way <see cref="TorchAllocatorTrainer"/> does it: tensors from
/// the dataset's arrays, forward, loss, backward, step, all in one dispose scope, one torch thread.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TorchTrainingBenchmarks : IDisposable
{
    private const int Assets = 21;
    private TrainingDataset _data = null!;
    private EiieNetwork _network = null!;
    private KeptScalarAdam _optimizer = null!;
    private TorchTrainerOptions _defaults = null!;
    private float[] _held = null!;
    private float[] _mask = null!;
    private int _periods;
    private int _start;

    [GlobalSetup]
    public void Setup()
    {
        var panel = SyntheticMarket.Generate(new SyntheticMarketOptions { AssetCount = Assets, Bars = 700, Seed = 42 });
        var options = new TrainingOptions { Panel = panel };
        _defaults = options.ToTrainerOptions();
        _data = TrainingDataset.Create(panel, options.ResolveSpec());
        TorchCpuKernels.Pin(); // the kernels training runs (AVX2), chosen at the first torch operation
        torch.set_num_threads(1);
        random.manual_seed(_defaults.Seed);
        _network = new EiieNetwork(FeatureScaler.Fit(_data, new SampleRange(0, _data.SampleCount / 2)), _defaults.Hidden);
        _network.train();
        _optimizer = new KeptScalarAdam(_network.parameters(), _defaults.LearningRate, _defaults.WeightDecay);
        _periods = _defaults.BatchPeriods;
        _start = _data.SampleCount / 2;
        _held = new float[_periods * Assets];
        _mask = new float[_periods * Assets];
        for (var k = 0; k < _periods; k++)
        {
            _data.EqualWeightsInto(_start + k, _held.AsSpan(k * Assets, Assets));
            var row = _data.MaskRow(_start + k);
            for (var a = 0; a < Assets; a++)
            {
                _mask[(k * Assets) + a] = row[a] ? 1f : 0f;
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _optimizer?.Dispose();
        _network?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public float TrainingStepEiie64x21()
    {
        var f = _data.FeatureCount;
        using var scope = NewDisposeScope();
        var x = tensor(_data.Features.Slice(_start * Assets * f, _periods * Assets * f).ToArray(), [_periods, Assets, f]);
        var r = tensor(_data.NextReturns.Slice(_start * Assets, _periods * Assets).ToArray(), [_periods, Assets]);
        var h = tensor(_held, [_periods, Assets]);
        var m = tensor(_mask, [_periods, Assets]);
        var w = _network.forward(x, m, h);
        var loss = PortfolioLoss.Compute(_defaults.Loss, w, h, r, _defaults.CostRate, _defaults.RiskAversion);
        _optimizer.ZeroGrad();
        loss.backward();
        _optimizer.Step();
        return loss.item<float>();
    }
}
