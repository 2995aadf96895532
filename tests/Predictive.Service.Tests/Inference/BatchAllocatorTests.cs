using Predictive.Core.Allocation;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Registry;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Inference;

[TestClass]
public sealed class BatchAllocatorTests
{
    private static ModelsFolder s_folder = null!;
    private static ModelRegistry s_registry = null!;

    [ClassInitialize]
    public static void Load(TestContext context)
    {
        s_folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("trap", "1", TestModels.Trap());
        s_registry = new ModelRegistry(s_folder.Path, TimeProvider.System);
        s_registry.Reload();
    }

    [ClassCleanup]
    public static void Unload()
    {
        s_registry.Dispose();
        s_folder.Dispose();
    }

    private static OnnxAllocatorModel Linear => s_registry.Current.Loaded["default/1"];

    [TestMethod]
    public void Allocate_MixedAssetCounts_MatchesPlainComputationInInputOrder()
    {
        var sizes = new[] { 3, 5, 3, 1, 5 };
        var features = sizes.Select((n, i) => Payloads.Features(n, i)).ToArray();
        var prev = sizes.Select(Payloads.Uniform).ToArray();
        var inputs = sizes.Select((n, i) => new PortfolioInput(features[i].SelectMany(r => r).ToArray(), prev[i].Select(x => (float)x).ToArray())).ToList();

        var weights = BatchAllocator.Allocate(Linear, inputs);

        for (var i = 0; i < sizes.Length; i++)
        {
            var expected = TestModels.LinearByHand(features[i], prev[i]);
            Assert.HasCount(sizes[i], weights[i]);
            for (var a = 0; a < sizes[i]; a++)
            {
                Assert.AreEqual(expected[a], weights[i][a], 1e-6, $"portfolio {i} asset {a}");
            }

            Assert.AreEqual(1.0, weights[i].Sum(), WeightGuard.RenormalizedTolerance);
        }
    }

    [TestMethod]
    public void Allocate_TrapModelOnLargeFeature_ThrowsNamingPortfolio()
    {
        var features = new float[] { 500f, 0, 0, 0, 0, 0 };

        var e = Assert.ThrowsExactly<ModelOutputException>(() =>
            BatchAllocator.Allocate(s_registry.Current.Loaded["trap/1"], [new PortfolioInput(features, new float[] { 0.5f, 0.5f })], ["p-trap"]));

        Assert.Contains("portfolio 'p-trap' asset 0", e.Message);
    }

    [TestMethod]
    public void Allocate_WrongFeatureLength_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => BatchAllocator.Allocate(Linear, [new PortfolioInput(new float[5], new float[2])]));
    }

    [TestMethod]
    public void OnnxAllocator_UnavailableAsset_GetsZeroAndRestSumsToOne()
    {
        var allocator = new OnnxAllocator(Linear);
        var input = new AllocationInput(
            ["BTC", "ETH", "SOL"],
            TestModels.Spec.FeatureNames,
            [0.1, 0.2, 0.01, double.NaN, double.NaN, double.NaN, -0.1, 0.05, 0.02],
            [0.4, 0.3, 0.3],
            [true, false, true]);

        var weights = allocator.Allocate(input);

        Assert.AreEqual(0.0, weights[1]);
        Assert.AreEqual(1.0, weights.Sum(), 1e-12);
        Assert.IsTrue(weights[0] > weights[2], "BTC scores higher (2·0.1 − 0.2 > 2·(−0.1) − 0.05)");
        Assert.AreEqual("onnx:default/1", allocator.Name);
    }

    [TestMethod]
    public void OnnxAllocator_OtherFeatureColumns_ThrowsAllocationException()
    {
        var allocator = new OnnxAllocator(Linear);
        var input = new AllocationInput(["BTC"], ["a", "b", "c"], [0, 0, 0], [1], [true]);

        var e = Assert.ThrowsExactly<AllocationException>(() => allocator.Allocate(input));

        Assert.Contains("logReturn_1", e.Message);
    }

    [TestMethod]
    public void WeightGuard_SumWithinContractTolerance_IsRenormalizedToOne()
    {
        var destination = new[] { new double[3] };

        var problems = WeightGuard.CheckAndNormalize([0.33333f, 0.33333f, 0.33336f], 3, destination);

        Assert.IsEmpty(problems);
        Assert.AreEqual(1.0, destination[0].Sum(), 1e-12);
    }

    [TestMethod]
    public void WeightGuard_SumOffByMoreThanTolerance_IsRejected()
    {
        var problems = WeightGuard.CheckAndNormalize([0.5f, 0.6f], 2, [new double[2]]);

        Assert.Contains("sums to", problems.Single());
    }
}
