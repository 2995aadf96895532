using Predictive.Training.Data;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;
using static TorchSharp.torch;

namespace Predictive.Training.Tests.Torch;

/// <summary>
/// TorchSharp frees a <c>Scalar</c> in its finalizer, and its operators pass a scalar's native handle without keeping
/// the object alive; a scalar made by an implicit conversion (<c>t.clamp_min(1)</c>) could be collected and freed while
/// libtorch still read it (the operator's retrain failed with libtorch's "Expected false to be true" from
/// <c>Scalar::toFloat</c> in <c>masked_fill</c> while other threads of the process allocated). These tests collect
/// garbage and run finalizers on another thread without pause while the network and the loss run, and require every
/// result to be the one computed before.
/// </summary>
[TestClass]
public sealed class ScalarLifetimeTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    [TestMethod]
    public void Forward_CollectionsDuringNativeCalls_SameWeightsEveryTime()
    {
        random.manual_seed(7);
        using var eiie = new EiieNetwork(FeatureScaler.Fit(TestMarkets.Small, new SampleRange(0, 200)), 8, maxWeight: 0.4f);
        var input = NetworkInputs.Random(eiie.Scaler, batch: 4, assets: 5, seed: 3, unavailableShare: 0.3);
        var expected = NetworkTests.Predict(eiie, input);

        UnderCollections(
            () => CollectionAssert.AreEqual(expected, NetworkTests.Predict(eiie, input), "the weights changed while scalars were being collected"),
            minimumRuns: 50);
    }

    [TestMethod]
    public void Loss_CollectionsDuringNativeCalls_SameLossEveryTime()
    {
        float[] w = [0.2f, 0.5f, 0.3f, 0.6f, 0.1f, 0.3f];
        float[] h = [0.3f, 0.3f, 0.4f, 0.5f, 0.2f, 0.3f];
        float[] r = [0.01f, -0.02f, 0.005f, 0.03f, 0.0f, -0.01f];
        float Loss(PortfolioLossKind kind)
        {
            using var scope = NewDisposeScope();
            return PortfolioLoss.Compute(kind, tensor(w, [2, 3]), tensor(h, [2, 3]), tensor(r, [2, 3]), 0.001, 2.0).item<float>();
        }

        var sharpe = Loss(PortfolioLossKind.NegativeSharpe);
        var meanVariance = Loss(PortfolioLossKind.MeanVariance);

        UnderCollections(
            () =>
            {
                Assert.AreEqual(sharpe, Loss(PortfolioLossKind.NegativeSharpe), "negative Sharpe loss");
                Assert.AreEqual(meanVariance, Loss(PortfolioLossKind.MeanVariance), "mean-variance loss");
            },
            minimumRuns: 50);
    }

    [TestMethod]
    public void KeptScalarAdam_TenSteps_SameParametersAsTorchSharpAdam()
    {
        var ours = Train(net => new KeptScalarAdam(net.parameters(), 0.01, 1e-4), (o, _) => o.ZeroGrad(), o => o.Step());
        var theirs = Train(net => optim.Adam(net.parameters(), 0.01, weight_decay: 1e-4), (o, _) => o.zero_grad(), o => o.step());

        CollectionAssert.AreEqual(theirs, ours, "the same bits as TorchSharp's Adam");
    }

    [TestMethod]
    public void KeptScalarAdam_CollectionsDuringNativeCalls_SameParametersEveryTime()
    {
        var expected = Train(net => new KeptScalarAdam(net.parameters(), 0.01, 1e-4), (o, _) => o.ZeroGrad(), o => o.Step());

        UnderCollections(
            () => CollectionAssert.AreEqual(expected, Train(net => new KeptScalarAdam(net.parameters(), 0.01, 1e-4), (o, _) => o.ZeroGrad(), o => o.Step())),
            minimumRuns: 3);
    }

    // Ten Adam steps of a small EIIE network on a fixed batch, from a fixed seed; returns its parameters, flattened.
    private static float[] Train<TOptimizer>(Func<AllocatorNetwork, TOptimizer> create, Action<TOptimizer, int> zero, Action<TOptimizer> step)
        where TOptimizer : IDisposable
    {
        random.manual_seed(11);
        using var net = new EiieNetwork(FeatureScaler.Fit(TestMarkets.Small, new SampleRange(0, 200)), 8);
        var input = NetworkInputs.Random(net.Scaler, batch: 6, assets: 4, seed: 5);
        using var optimizer = create(net);
        float[] returns = [.. Enumerable.Range(0, 24).Select(i => ((i % 7) - 3) * 0.004f)];
        for (var k = 0; k < 10; k++)
        {
            using var scope = NewDisposeScope();
            var mask = tensor(input.Mask.Select(m => m ? 1f : 0f).ToArray(), [6, 4]);
            var held = tensor(input.Held, [6, 4]);
            var w = net.forward(tensor(input.FeatureValues, [6, 4, input.Features]), mask, held);
            var loss = PortfolioLoss.Compute(PortfolioLossKind.NegativeSharpe, w, held, tensor(returns, [6, 4]), 0.001, 1.0);
            zero(optimizer, k);
            loss.backward();
            step(optimizer);
        }

        return [.. net.SnapshotParameters().SelectMany(p => p.Values)];
    }

    // Runs check on this thread, at least minimumRuns times and for at least Duration, while another thread collects
    // and finalizes without pause.
    private static void UnderCollections(Action check, int minimumRuns)
    {
        using var stop = new CancellationTokenSource();
        var collector = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var runs = 0;
        try
        {
            var end = TimeProvider.System.GetTimestamp() + (long)(Duration.TotalSeconds * TimeProvider.System.TimestampFrequency);
            while (runs < minimumRuns || TimeProvider.System.GetTimestamp() < end)
            {
                check();
                runs++;
            }
        }
        finally
        {
            stop.Cancel();
            collector.Wait();
        }
    }
}
