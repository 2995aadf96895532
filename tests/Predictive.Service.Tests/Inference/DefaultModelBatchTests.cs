using CsCheck;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Registry;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Inference;

/// <summary>
/// The bundled model (models/default/1) runs a batch on [batch·assets, ·] rows; these tests pin that no portfolio
/// sees another: a batch gives every portfolio the weights it gets alone, and unavailable assets get exactly 0.
/// </summary>
[TestClass]
public sealed class DefaultModelBatchTests
{
    private static ModelRegistry s_registry = null!;

    [ClassInitialize]
    public static void Load(TestContext context)
    {
        s_registry = new ModelRegistry(RepositoryPaths.Combine("models"), TimeProvider.System);
        s_registry.Reload();
    }

    [ClassCleanup]
    public static void Unload() => s_registry.Dispose();

    private static OnnxAllocatorModel Default => s_registry.Current.Loaded["default/1"];

    [TestMethod]
    public void Allocate_BatchOfPortfolios_SameWeightsAsEachAlone()
    {
        var f = Default.FeatureCount;
        var batch =
            from assets in Gen.Int[1, 25]
            from portfolios in Portfolios(assets, f).Array[1, 12]
            select portfolios;

        batch.Sample(portfolios =>
        {
            // The portfolios share an asset count, so they run as one ONNX Runtime call.
            var together = BatchAllocator.Allocate(Default, portfolios);
            for (var p = 0; p < portfolios.Length; p++)
            {
                var alone = BatchAllocator.Allocate(Default, [portfolios[p]])[0];
                for (var a = 0; a < alone.Length; a++)
                {
                    Assert.AreEqual(alone[a], together[p][a], 1e-6, $"portfolio {p} asset {a}");
                    if (float.IsNaN(portfolios[p].Features.Span[a * f]) && alone.Length > Unavailable(portfolios[p], f))
                    {
                        Assert.AreEqual(0.0, together[p][a], $"portfolio {p} asset {a} is unavailable");
                    }
                }
            }
        });
    }

    [TestMethod]
    public void Allocate_InfiniteFeature_AssetGetsZeroLikeNaN()
    {
        var f = Default.FeatureCount;
        var features = new float[4 * f];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = 0.01f * ((i % 7) - 3);
        }

        var previous = new float[] { 0.25f, 0.25f, 0.25f, 0.25f };
        var withNaN = (float[])features.Clone();
        withNaN.AsSpan(f, f).Fill(float.NaN);
        features[f + 2] = float.PositiveInfinity;
        features[(3 * f) + 5] = float.NegativeInfinity;
        withNaN.AsSpan(3 * f, f).Fill(float.NaN);

        var weights = BatchAllocator.Allocate(Default, [new PortfolioInput(features, previous), new PortfolioInput(withNaN, previous)]);

        Assert.AreEqual(0.0, weights[0][1]);
        Assert.AreEqual(0.0, weights[0][3]);
        CollectionAssert.AreEqual(weights[1], weights[0]);
    }

    private static Gen<PortfolioInput> Portfolios(int assets, int f) =>
        from features in Gen.Float[-3f, 3f].Array[assets * f]
        from unavailable in Gen.Bool.Array[assets]
        from previous in Gen.Float[0f, 1f].Array[assets]
        select Portfolio(features, unavailable, previous, f);

    // Features of an unavailable asset are all NaN, as the feature builder writes them.
    private static PortfolioInput Portfolio(float[] features, bool[] unavailable, float[] previous, int f)
    {
        for (var a = 0; a < unavailable.Length; a++)
        {
            if (unavailable[a])
            {
                features.AsSpan(a * f, f).Fill(float.NaN);
            }
        }

        var sum = previous.Sum();
        for (var a = 0; a < previous.Length; a++)
        {
            previous[a] = sum > 0 ? previous[a] / sum : 1f / previous.Length;
        }

        return new PortfolioInput(features, previous);
    }

    private static int Unavailable(PortfolioInput portfolio, int f)
    {
        var n = 0;
        for (var a = 0; a < portfolio.Assets; a++)
        {
            n += float.IsNaN(portfolio.Features.Span[a * f]) ? 1 : 0;
        }

        return n;
    }
}
