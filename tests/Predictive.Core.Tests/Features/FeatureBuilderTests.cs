using CsCheck;
using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.Features;

[TestClass]
public sealed class FeatureBuilderTests
{
    [TestMethod]
    public void Build_AllKinds_MatchesFromScratchReferenceTo1e9()
    {
        var panel = TestPanels.RandomWalk(seed: 11, assets: 5, bars: 260);
        var frame = FeatureBuilder.Build(panel, TestPanels.AllKinds);
        for (var t = 0; t < panel.BarCount; t++)
        {
            AssertClose(ReferenceFeatures.Row(panel, TestPanels.AllKinds, t), frame.Row(t), frame, t);
        }
    }

    [TestMethod]
    public void Build_DefaultSpec_MatchesReferenceTo1e9()
    {
        var panel = TestPanels.RandomWalk(seed: 5, assets: 4, bars: 400);
        var frame = FeatureBuilder.Build(panel);
        CollectionAssert.AreEqual(FeatureSpec.Default.FeatureNames.ToArray(), frame.FeatureNames.ToArray());
        foreach (var t in new[] { 0, 60, 91, 133, 200, 205, 210, 250, 301, 399 })
        {
            AssertClose(ReferenceFeatures.Row(panel, FeatureSpec.Default, t), frame.Row(t), frame, t);
        }
    }

    [TestMethod]
    public void Build_FiftyThousandBars_StaysWithin1e9OfReference()
    {
        // Volatility switches between regimes 10⁴ apart, the hard case for running sums.
        var spec = new FeatureSpec([new(FeatureKind.RealizedVolatility, 30), new(FeatureKind.Momentum, 90), new(FeatureKind.MarketCorrelation, 60)]);
        var panel = TestPanels.RandomWalk(seed: 3, assets: 3, bars: 50_000, withVolume: false);
        var close = panel.Close(0).ToArray();
        for (var t = 1; t < close.Length; t++)
        {
            var r = Math.Log(panel.Close(0)[t] / panel.Close(0)[t - 1]);
            close[t] = close[t - 1] * Math.Exp((t / 5000 % 2 == 0 ? 30 : 0.003) * r);
        }

        panel = new PricePanel(panel.Timestamps.ToArray(), [.. panel.Assets], panel.Interval, [close, panel.Close(1).ToArray(), panel.Close(2).ToArray()]);
        var frame = FeatureBuilder.Build(panel, spec);
        for (var t = 4_999; t < panel.BarCount; t += 5_000)
        {
            foreach (var at in new[] { t, t + 31 })
            {
                if (at < panel.BarCount)
                {
                    AssertClose(ReferenceFeatures.Row(panel, spec, at), frame.Row(at), frame, at);
                }
            }
        }
    }

    [TestMethod]
    public void Update_BarByBar_EqualsBulkBitwise()
    {
        foreach (var spec in new[] { FeatureSpec.Default, TestPanels.AllKinds })
        {
            var panel = TestPanels.RandomWalk(seed: 7, assets: 6, bars: 500);
            AssertIncrementalEqualsBulk(panel, spec);
        }
    }

    [TestMethod]
    public void Update_RandomPanelsAndWindows_EqualsBulkBitwise()
    {
        Gen.Select(Gen.Int[1, 10_000], Gen.Int[1, 6], Gen.Int[2, 40], Gen.Int[1, 20]).Sample((seed, assets, window, horizon) =>
        {
            var spec = new FeatureSpec(
            [
                new(FeatureKind.LogReturn, horizon),
                new(FeatureKind.EwmaVolatility, window),
                new(FeatureKind.RealizedVolatility, window),
                new(FeatureKind.AmihudIlliquidity, window, FeatureNormalization.CrossSectionalZScore),
                new(FeatureKind.MarketCorrelation, window),
                new(FeatureKind.AveragePairwiseCorrelation, window + 1),
            ]);
            AssertIncrementalEqualsBulk(TestPanels.RandomWalk(seed, assets, bars: 150), spec);
        }, iter: 40);
    }

    [TestMethod]
    public void Build_LaterDataReplacedByGarbage_RowsUpToTUnchangedBitwise()
    {
        var panel = TestPanels.RandomWalk(seed: 21, assets: 5, bars: 400);
        foreach (var spec in new[] { FeatureSpec.Default, TestPanels.AllKinds })
        {
            var original = FeatureBuilder.Build(panel, spec);
            foreach (var t in new[] { 0, 50, 130, 205, 333, 398 })
            {
                var changed = FeatureBuilder.Build(TestPanels.WithGarbageAfter(panel, t, seed: t), spec);
                var prefix = (t + 1) * panel.AssetCount * spec.Features.Count;
                CollectionAssert.AreEqual(Bits(original.Values[..prefix]), Bits(changed.Values[..prefix]), $"features moved at or before bar {t}");
                for (var k = 0; k <= t; k++)
                {
                    CollectionAssert.AreEqual(original.Availability(k).ToArray(), changed.Availability(k).ToArray());
                }

                // The garbage is really visible after t, so the comparison above could fail.
                Assert.IsFalse(Bits(original.Row(t + 1)).SequenceEqual(Bits(changed.Row(t + 1))));
            }
        }
    }

    [TestMethod]
    public void Build_AssetListsLate_NaNUntilFullHistoryAndOthersUntouched()
    {
        var panel = TestPanels.RandomWalk(seed: 2, assets: 5, bars: 400);
        var frame = FeatureBuilder.Build(panel);
        var listing = 400 / 3;
        var longest = 90; // momentum_90 needs 90 returns, i.e. 91 closes
        for (var t = 0; t < panel.BarCount; t++)
        {
            Assert.AreEqual(t >= listing + longest, frame.IsAvailable(t, 1), $"bar {t}");
        }

        Assert.IsTrue(double.IsNaN(frame[listing + longest - 1, 1, frame.IndexOfFeature("momentum_90")]));
        Assert.IsTrue(double.IsFinite(frame[listing + 1, 1, frame.IndexOfFeature("logReturn_1")]));

        // Without the late asset, every other asset's per-asset features are bitwise the same and availability agrees.
        var others = panel.Assets.Where(s => s != "A1").ToArray();
        var without = FeatureBuilder.Build(panel.SelectAssets(others), FeatureSpec.Default);
        var perAsset = FeatureSpec.Default.Features.Select((f, i) => (f, i)).Where(x => !x.f.IsCrossAsset && x.f.Normalization == FeatureNormalization.None).Select(x => x.i).ToArray();
        for (var t = 0; t < panel.BarCount; t++)
        {
            for (var k = 0; k < others.Length; k++)
            {
                var a = panel.IndexOf(others[k]);
                Assert.AreEqual(without.IsAvailable(t, k), frame.IsAvailable(t, a), $"{others[k]} at bar {t}");
                foreach (var c in perAsset)
                {
                    Assert.AreEqual(BitConverter.DoubleToInt64Bits(without[t, k, c]), BitConverter.DoubleToInt64Bits(frame[t, a, c]));
                }
            }
        }
    }

    [TestMethod]
    public void Build_GapLongerThanFill_RecoversAfterWindow()
    {
        var panel = TestPanels.RandomWalk(seed: 4, assets: 3, bars: 400);
        var frame = FeatureBuilder.Build(panel, new FeatureSpec([new(FeatureKind.RealizedVolatility, 20)]));
        // Asset 2 is NaN at bars 200..209; the first return after the gap is at 211.
        Assert.IsTrue(frame.IsAvailable(199, 2));
        Assert.IsFalse(frame.IsAvailable(229, 2));
        Assert.IsTrue(frame.IsAvailable(230, 2));
        Assert.IsTrue(frame.IsAvailable(205, 0));
    }

    [TestMethod]
    public void Build_SpecNeedsVolumeAndPanelHasNone_ThrowsNamingFeatures()
    {
        var panel = TestPanels.RandomWalk(seed: 1, assets: 2, bars: 50, withVolume: false);
        var ex = Assert.ThrowsExactly<FeatureSpecException>(() => FeatureBuilder.Build(panel));
        Assert.Contains("logDollarVolume_30_z", ex.Message);
        var frame = FeatureBuilder.Build(panel, FeatureSpec.Default.Where(f => !f.UsesVolume));
        Assert.AreEqual(11, frame.FeatureCount);
    }

    [TestMethod]
    public void Update_TimeNotIncreasing_Throws()
    {
        var b = new IncrementalFeatureBuilder(TestPanels.AllKinds, ["A", "B"]);
        b.Update(TestPanels.T0, [1, 2], [5, 5]);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => b.Update(TestPanels.T0, [1, 2], [5, 5]));
        Assert.Contains("not after the previous bar", ex.Message);
        Assert.ThrowsExactly<ArgumentException>(() => b.Update(TestPanels.T0.AddDays(1), [1, 2, 3], [5, 5]));
        Assert.ThrowsExactly<FeatureSpecException>(() => b.Update(TestPanels.T0.AddDays(1), [1, 2]));
    }

    internal static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }

    private static void AssertIncrementalEqualsBulk(PricePanel panel, FeatureSpec spec)
    {
        var frame = FeatureBuilder.Build(panel, spec);
        var live = new IncrementalFeatureBuilder(spec, panel.Assets);
        var closes = new double[panel.AssetCount];
        var volumes = new double[panel.AssetCount];
        for (var t = 0; t < panel.BarCount; t++)
        {
            for (var a = 0; a < panel.AssetCount; a++)
            {
                closes[a] = panel.Close(a)[t];
                volumes[a] = panel.Volume(a)[t];
            }

            var row = live.Update(panel.Timestamps[t], closes, volumes);
            CollectionAssert.AreEqual(Bits(frame.Row(t)), Bits(row.Values), $"bar {t}");
            CollectionAssert.AreEqual(frame.Availability(t).ToArray(), row.Available.ToArray(), $"bar {t}");
        }
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<double> actual, FeatureFrame frame, int t)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var where = $"bar {t}, asset {frame.Assets[i / frame.FeatureCount]}, {frame.FeatureNames[i % frame.FeatureCount]}";
            if (double.IsNaN(expected[i]))
            {
                Assert.IsTrue(double.IsNaN(actual[i]), $"{where}: expected NaN, got {actual[i]}");
            }
            else
            {
                Assert.AreEqual(expected[i], actual[i], 1e-9 * Math.Max(1, Math.Abs(expected[i])), where);
            }
        }
    }
}
