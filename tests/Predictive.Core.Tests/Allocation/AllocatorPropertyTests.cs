using CsCheck;
using Predictive.Core.Allocation;
using Predictive.Tests.Shared;

namespace Predictive.Core.Tests.Allocation;

/// <summary>Invariants every classical allocator must keep, over many random risk models.</summary>
[TestClass]
public sealed class AllocatorPropertyTests
{
    private sealed record Case(double[] Covariance, double[] Mu, bool[] Available, double Cap, int Seed);

    private static readonly Gen<Case> Cases =
        from n in Gen.Int[1, 12]
        from factors in Gen.Int[1, 3]
        from seed in Gen.Int[0, int.MaxValue]
        from mu in Gen.Double[-0.002, 0.004].Array[n]
        from available in Gen.Bool.Array[n]
        from cap in Gen.Double[0.05, 1.0]
        select new Case(Some.FactorCovariance(n, factors, seed), mu, Fix(available), cap, seed);

    public static IEnumerable<object[]> Names => Allocators.Names.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void Allocate_RandomRiskModels_WeightsAreValidCappedAndDeterministic(string name)
    {
        var iterations = name is "max-sharpe" ? 1_000 : 10_000;
        Cases.Sample(c =>
        {
            var allocator = Allocators.Create(name, new AllocatorOptions { MaxWeight = c.Cap });
            var input = Some.Input(c.Covariance, c.Mu, c.Available);
            var w = allocator.Allocate(input);
            var again = allocator.Allocate(input);

            var availableCount = c.Available.Count(a => a);
            var cap = Math.Max(c.Cap, 1.0 / availableCount);
            Assert.AreEqual(1.0, w.Sum(), 1e-9, "weights sum to 1");
            for (var i = 0; i < w.Length; i++)
            {
                Assert.IsGreaterThanOrEqualTo(0.0, w[i], "weights are ≥ 0");
                Assert.IsLessThanOrEqualTo(cap + 1e-12, w[i], "the cap holds");
                if (!c.Available[i])
                {
                    Assert.AreEqual(0.0, w[i], "unavailable assets get nothing");
                }
            }

            CollectionAssert.AreEqual(w, again, "the output is deterministic");
        }, iter: iterations, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    private static bool[] Fix(bool[] available)
    {
        if (!available.Any(a => a))
        {
            available[0] = true;
        }

        return available;
    }
}
