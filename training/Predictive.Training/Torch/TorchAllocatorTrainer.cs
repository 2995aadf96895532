using Predictive.Core.Backtesting;
using Predictive.Research.Metrics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>What one epoch achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">The mean training loss.</param>
/// <param name="ValidationSharpe">Annualized Sharpe on the validation range through Core's backtester under <see cref="TorchTrainerOptions.Evaluation"/> (0 without one).</param>
/// <param name="BestValidationSharpe">The best so far.</param>
/// <param name="StoppedEarly">Whether training stops after this epoch for lack of progress.</param>
public sealed record EpochReport(int Epoch, double Loss, double ValidationSharpe, double BestValidationSharpe, bool StoppedEarly);

/// <summary>A trained network and how its training went. The caller owns (disposes) the network.</summary>
/// <param name="Network">The network, with the parameters of its best validation epoch.</param>
/// <param name="BestEpoch">The epoch whose parameters were kept.</param>
/// <param name="EpochsRun">How many epochs ran.</param>
/// <param name="Validation">Metrics of the kept parameters on the validation range (null without one).</param>
public sealed record TrainedAllocator(AllocatorNetwork Network, int BestEpoch, int EpochsRun, PerformanceMetrics? Validation);

/// <summary>
/// Trains an <see cref="AllocatorNetwork"/> on consecutive-period batches with a differentiable net-of-cost objective,
/// early-stopping on the validation range's Sharpe as Core's backtester measures it (<see cref="SampleBacktester"/>:
/// real costs, the evaluation's rebalancing policy), so the epoch kept is the one that trades best in that world.
/// </summary>
/// <remarks>
/// <para>Held weights come from a portfolio-vector memory (Jiang et al. 2017): the weights the network last chose for
/// each training period are stored, and period <c>t</c>'s held weights are period <c>t − 1</c>'s stored weights
/// drifted by its returns. Costs therefore penalise turnover against what the policy would really hold.</para>
/// <para>Reproducible: torch's generator and the batch sampler are seeded with <see cref="TorchTrainerOptions.Seed"/>
/// and torch runs on one thread (it is set process-wide), so the same data and seed give the same parameters. libtorch's
/// CPU kernel set is pinned first (<see cref="TorchCpuKernels.Pin"/>), so the parameters are the same on CPUs with and
/// without AVX-512.</para>
/// <para>Every step runs inside its own dispose scope, so native memory stays flat across epochs.</para>
/// </remarks>
public static class TorchAllocatorTrainer
{
    /// <summary>Trains a new network.</summary>
    /// <param name="data">The dataset.</param>
    /// <param name="fit">Samples to fit (also the scaler's statistics).</param>
    /// <param name="validation">Samples for early stopping; may be empty (then the last epoch is kept).</param>
    /// <param name="options">Settings.</param>
    /// <param name="onEpoch">Called after every epoch.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    public static TrainedAllocator Train(
        TrainingDataset data,
        SampleRange fit,
        SampleRange validation,
        TorchTrainerOptions options,
        Action<EpochReport>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (fit.Count < 2 || fit.Start < 0 || fit.End > data.SampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(fit), fit, $"the fitting range needs at least 2 samples inside the dataset's {data.SampleCount}.");
        }

        TorchCpuKernels.Pin();
        torch.set_num_threads(1);
        random.manual_seed(options.Seed);
        var rng = new Random(options.Seed);
        var scaler = FeatureScaler.Fit(data, fit, options.FeatureClip);
        int? anchorFeature = options.Anchor == TiltAnchor.MinVariance ? AnchorTilt.MinVarianceFeature(data.Spec) : null;
        AllocatorNetwork network = options.Model == AllocatorModelKind.Eiie
            ? new EiieNetwork(scaler, options.Hidden, options.MaxWeight, options.Tilt, anchorFeature)
            : new MlpNetwork(scaler, options.Hidden, data.AssetCount, options.Tilt, anchorFeature);
        try
        {
            var needsMarket = !validation.IsEmpty || options.Cost == TrainingCostKind.Pool;
            var evaluator = needsMarket ? new SampleBacktester(data, options.Evaluation) : null;
            var objective = new TrainingObjective(data, fit, options, evaluator);
            return Fit(data, fit, validation, options, validation.IsEmpty ? null : evaluator, objective, network, rng, onEpoch, cancellationToken);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Backtests a network as it would trade over <paramref name="range"/>: Core's backtester, fed the weights it holds.</summary>
    /// <param name="network">The network (switched to evaluation mode).</param>
    /// <param name="evaluator">The backtester over the network's dataset.</param>
    /// <param name="data">The dataset the evaluator was built on.</param>
    /// <param name="range">Samples to trade.</param>
    /// <param name="cancellationToken">Cancels inside the run.</param>
    public static BacktestResult Evaluate(AllocatorNetwork network, SampleBacktester evaluator, TrainingDataset data, SampleRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(data);
        network.eval();
        return evaluator.Run(
            network is EiieNetwork ? "eiie" : "mlp",
            range,
            (sample, held, weights) => network.Predict(data.FeatureRow(sample), data.MaskRow(sample), held, 1, weights),
            cancellationToken);
    }

    private static TrainedAllocator Fit(
        TrainingDataset data,
        SampleRange fit,
        SampleRange validation,
        TorchTrainerOptions options,
        SampleBacktester? evaluator,
        TrainingObjective objective,
        AllocatorNetwork network,
        Random rng,
        Action<EpochReport>? onEpoch,
        CancellationToken cancellationToken)
    {
        var n = data.AssetCount;
        var f = data.FeatureCount;
        var periods = Math.Min(options.BatchPeriods, fit.Count);
        var steps = Math.Max(1, fit.Count / periods);
        var memory = new float[data.SampleCount * n];
        for (var i = fit.Start; i < fit.End; i++)
        {
            data.EqualWeightsInto(i, memory.AsSpan(i * n, n));
        }

        var held = new float[periods * n];
        var mask = new float[periods * n];
        using var optimizer = new KeptScalarAdam(network.parameters(), options.LearningRate, options.WeightDecay);
        var best = double.NegativeInfinity;
        var bestEpoch = 0;
        var sinceBest = 0;
        IReadOnlyList<(string, float[])>? bestParameters = null;
        var epoch = 0;
        while (epoch < options.Epochs)
        {
            epoch++;
            network.train();
            double lossSum = 0;
            for (var step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var s = fit.Start + rng.Next(fit.Count - periods + 1);
                FillHeldAndMask(data, fit, memory, s, periods, held, mask);
                using var scope = NewDisposeScope();
                var x = tensor(data.Features.Slice(s * n * f, periods * n * f).ToArray(), [periods, n, f]);
                var r = tensor(data.NextReturns.Slice(s * n, periods * n).ToArray(), [periods, n]);
                var h = tensor(held, [periods, n]);
                var m = tensor(mask, [periods, n]);
                var w = objective.Executed(network.forward(x, m, h), h);
                var loss = objective.Loss(w, h, r, s, periods);
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
                lossSum += loss.item<float>();
                w.detach().data<float>().CopyTo(memory.AsSpan(s * n, periods * n));
            }

            var sharpe = evaluator is null ? 0 : PerformanceMetrics.Chain([Evaluate(network, evaluator, data, validation, cancellationToken)]).Sharpe;
            if (validation.IsEmpty || sharpe > best)
            {
                best = sharpe;
                bestEpoch = epoch;
                sinceBest = 0;
                bestParameters = validation.IsEmpty ? null : network.SnapshotParameters();
            }
            else
            {
                sinceBest++;
            }

            var stop = sinceBest >= options.Patience;
            onEpoch?.Invoke(new EpochReport(epoch, lossSum / steps, sharpe, best, stop && epoch < options.Epochs));
            if (stop)
            {
                break;
            }
        }

        if (bestParameters is not null)
        {
            network.RestoreParameters(bestParameters);
        }

        network.eval();
        var metrics = evaluator is null ? null : PerformanceMetrics.Chain([Evaluate(network, evaluator, data, validation, cancellationToken)]);
        return new TrainedAllocator(network, bestEpoch, epoch, metrics);
    }

    private static void FillHeldAndMask(TrainingDataset data, SampleRange fit, float[] memory, int start, int periods, float[] held, float[] mask)
    {
        var n = data.AssetCount;
        for (var k = 0; k < periods; k++)
        {
            var i = start + k;
            var h = held.AsSpan(k * n, n);
            if (i == fit.Start || !data.FollowsPrevious(i))
            {
                data.EqualWeightsInto(i, h);
            }
            else
            {
                data.DriftInto(i - 1, memory.AsSpan((i - 1) * n, n), h);
            }

            var row = data.MaskRow(i);
            for (var a = 0; a < n; a++)
            {
                mask[(k * n) + a] = row[a] ? 1f : 0f;
            }
        }
    }
}
