using System.Security.Cryptography;
using Predictive.Tests.Shared;

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

    [TestMethod]
    [TestCategory("Slow")]
    public async Task Lifecycle_RunsEveryCell_ServiceServesTheVotedModelKeeperPassUsesItDashboardShowsTheVoteAndThePass()
    {
        var work = Directory.CreateTempSubdirectory("predictive-lifecycle-").FullName;
        Environment.SetEnvironmentVariable("PREDICTIVE_LIFECYCLE_WORK", work);
        try
        {
            using var nb = await NotebookRunner.RunAsync("04-lifecycle.ipynb", TestContext.CancellationToken);

            // Independent of the notebook: the repository's model file is what the vote approved and what the service serves.
            var fileSha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(RepositoryPaths.Combine("models", "default", "1", "model.onnx"), TestContext.CancellationToken)));
            Assert.AreEqual(fileSha, nb.Value<string>("approvedSha"));
            Assert.AreEqual("default/1", nb.Value<string>("servedDefault"), "the registry's activate picked the default");
            Assert.AreEqual(fileSha, nb.Value<string>("servedSha"), "the targets came from the approved file");
            var weights = nb.Value<double[]>("weights");
            Assert.HasCount(4, weights);
            Assert.IsTrue(weights.All(w => w >= 0) && weights.Sum() <= 1 + 1e-9, string.Join(", ", weights));

            // The keeper pass took its targets from the service's voted model; a trade sends swaps that used gas, no trade none.
            Assert.AreEqual(fileSha, nb.Value<string>("keeperModelSha"), "the keeper's decision log names the approved file");
            var outcome = nb.Value<string>("keeperOutcome");
            var swaps = nb.Value<int>("keeperSwaps");
            Assert.IsTrue(outcome is "trade" or "no-trade", $"the pass decided rather than refused: {outcome}");
            if (outcome == "trade")
            {
                Assert.IsGreaterThan(0, swaps);
                Assert.IsGreaterThan(0L, nb.Value<long>("keeperGas"));
            }
            else
            {
                Assert.AreEqual(0, swaps);
            }

            CollectionAssert.AreEqual(new[] { "approved", "activated" }, nb.Value<string[]>("decisionKinds"));
            Assert.AreEqual(fileSha, nb.Value<string>("approvalSha"));
            Assert.IsTrue(nb.Value<bool>("dashboardShowsApproval"), "the Models page lists the approval with the file's SHA-256 and the activation");

            // The Vaults page shows the keeper's one pass from its decision log, naming the approved file.
            Assert.AreEqual(1, nb.Value<int>("dashboardVaultPasses"));
            Assert.AreEqual(fileSha, nb.Value<string>("dashboardVaultSha"));
            Assert.IsTrue(nb.Value<bool>("dashboardShowsVault"), "the vault's page lists its decisions with every guard");
        }
        finally
        {
            Environment.SetEnvironmentVariable("PREDICTIVE_LIFECYCLE_WORK", null);
            StopWhatTheNotebookStarted(work);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A failed cell leaves the service and anvil running: stop the processes the notebook recorded (it stops them itself when it succeeds).</summary>
    private static void StopWhatTheNotebookStarted(string work)
    {
        var pids = new List<int>();
        var servicePid = Path.Combine(work, "service.pid");
        if (File.Exists(servicePid))
        {
            pids.Add(int.Parse(File.ReadAllText(servicePid), System.Globalization.CultureInfo.InvariantCulture));
        }

        var chain = Path.Combine(work, "chain.json");
        if (File.Exists(chain) && System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(chain))?["pid"] is { } anvil)
        {
            pids.Add(anvil.GetValue<int>());
        }

        foreach (var pid in pids)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                if (process.ProcessName is "dotnet" or "anvil")
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }
}
