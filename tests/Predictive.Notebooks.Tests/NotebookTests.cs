namespace Predictive.Notebooks.Tests;

/// <summary>Every notebook runs from top to bottom against the built library, and computes what it claims.</summary>
[TestClass]
[DoNotParallelize]
public sealed class NotebookTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task DataAndFeatures_RunsEveryCell_FeaturesShowNoLookAhead()
    {
        using var nb = await NotebookRunner.RunAsync("01-data-and-features.ipynb", TestContext.CancellationToken);

        Assert.AreEqual(400, nb.Value<int>("barCount"));
        Assert.AreEqual(13, nb.Value<int>("featureCount"));
        Assert.AreEqual(0.0, nb.Value<double>("lookAheadMaxDifference"));
        Assert.IsGreaterThan(0.0, nb.Value<double>("leakyMaxDifference"));
    }

    [TestMethod]
    public async Task AllocatorsAndPolicies_RunsEveryCell_FullRebalancingCostsMoreAndTracksCloser()
    {
        using var nb = await NotebookRunner.RunAsync("02-allocators-and-policies.ipynb", TestContext.CancellationToken);

        Assert.AreEqual(5 * 4, nb.Value<int>("strategyCount"));
        foreach (var sum in nb.Value<double[]>("weightSums"))
        {
            Assert.AreEqual(1.0, sum, 1e-9, "every allocator is fully invested");
        }

        // The frontier's two ends, per allocator: rebalancing every bar pays more and strays less than every 21 bars.
        var fullCosts = nb.Value<double[]>("fullCosts");
        var calendarCosts = nb.Value<double[]>("calendarCosts");
        var fullTe = nb.Value<double[]>("fullTrackingErrors");
        var calendarTe = nb.Value<double[]>("calendarTrackingErrors");
        Assert.HasCount(5, fullCosts);
        for (var k = 0; k < fullCosts.Length; k++)
        {
            Assert.IsGreaterThan(calendarCosts[k], fullCosts[k], $"allocator {k}: cost");
            Assert.IsLessThan(calendarTe[k], fullTe[k], $"allocator {k}: tracking error");
        }

        foreach (var n in nb.Value<double[]>("effectiveN"))
        {
            Assert.IsTrue(n is >= 1 and <= 8 + 1e-9, $"effective N {n} is outside [1, 8]");
        }
    }

    [TestMethod]
    public async Task TrainExportParity_RunsEveryCell_OnnxRuntimeMatchesTorchSharpAndCardPinsTheFile()
    {
        using var nb = await NotebookRunner.RunAsync("03-train-export-parity.ipynb", TestContext.CancellationToken);

        Assert.AreEqual("avx2", Environment.GetEnvironmentVariable("ATEN_CPU_CAPABILITY"), "libtorch's kernels are pinned before training");
        Assert.IsTrue(nb.Value<int>("epochsRun") is >= 1 and <= 3);
        Assert.IsTrue(nb.Value<bool>("loaderAccepted"), "the service's checks accept the exported model");
        var parity = nb.Value<double>("parityMaxAbs");
        TestContext.WriteLine($"max |ONNX Runtime − TorchSharp| = {parity:E3}");
        Assert.IsLessThan(1e-5, parity);
        Assert.AreEqual("notebook-eiie", nb.Value<string>("cardName"));
        Assert.IsTrue(nb.Value<bool>("cardSha256Matches"), "model.json pins the SHA-256 of model.onnx");
        Assert.IsTrue(double.IsFinite(nb.Value<double>("cardValidationSharpe")));
    }
}
