using CsCheck;
using Predictive.Training.Data;

namespace Predictive.Training.Tests.Data;

[TestClass]
public sealed class WalkForwardSplitterTests
{
    [TestMethod]
    public void Split_AnyOptions_NoTrainingLabelWindowOverlapsItsTestFold()
    {
        var cases =
            from n in Gen.Int[200, 3000]
            from folds in Gen.Int[1, 6]
            from purge in Gen.Int[0, 5]
            from embargo in Gen.Int[0, 10]
            from rolling in Gen.Bool
            from rollingSize in Gen.Int[20, 500]
            select (n, new WalkForwardOptions
            {
                Folds = folds,
                MinTrainSize = 100,
                Purge = purge,
                Embargo = embargo,
                Window = rolling ? WalkForwardWindow.Rolling : WalkForwardWindow.Expanding,
                RollingTrainSize = rollingSize,
            });

        cases.Sample(c =>
        {
            var (n, options) = c;
            var previousTestEnd = -1;
            foreach (var fold in WalkForwardSplitter.Split(n, options))
            {
                // Sample i's label spans bars [i, i + horizon]; the test fold's labels span [Test.Start, Test.End - 1 + horizon].
                var lastTrainLabelEnd = fold.Train.End - 1 + TrainingDataset.LabelHorizon;
                Assert.IsLessThanOrEqualTo(fold.Test.Start, lastTrainLabelEnd, $"fold {fold.Index}: training label reaches bar {lastTrainLabelEnd}, test starts at {fold.Test.Start}");
                Assert.AreEqual(options.Purge + options.Embargo, fold.Test.Start - fold.Train.End, "gap");
                Assert.IsGreaterThanOrEqualTo(0, fold.Train.Start);
                Assert.IsGreaterThan(0, fold.Train.Count);
                Assert.IsLessThanOrEqualTo(n, fold.Test.End);
                Assert.IsGreaterThanOrEqualTo(previousTestEnd, fold.Test.Start, "test folds are consecutive and ordered");
                previousTestEnd = fold.Test.End;
            }

            Assert.AreEqual(n, previousTestEnd, "the last fold ends at the last sample");
        });
    }

    [TestMethod]
    public void Split_Rolling_TrainingWindowsHaveFixedLength()
    {
        var folds = WalkForwardSplitter.Split(2000, new WalkForwardOptions { Folds = 4, MinTrainSize = 500, Window = WalkForwardWindow.Rolling, RollingTrainSize = 500 });

        Assert.HasCount(4, folds);
        Assert.IsTrue(folds.All(f => f.Train.Count == 500), string.Join(", ", folds.Select(f => f.Train)));
        Assert.IsTrue(folds.Zip(folds.Skip(1)).All(p => p.Second.Train.Start > p.First.Train.Start), "windows roll forward");
    }

    [TestMethod]
    public void Split_Expanding_TrainingStartsAtZeroAndGrows()
    {
        var folds = WalkForwardSplitter.Split(1000, new WalkForwardOptions { Folds = 3, MinTrainSize = 400, Purge = 1, Embargo = 2 });

        Assert.IsTrue(folds.All(f => f.Train.Start == 0));
        Assert.AreEqual(new SampleRange(0, 1000 - (3 * 199) - 3), folds[0].Train);
        Assert.AreEqual(new SampleRange(1000 - 199, 199), folds[2].Test);
    }

    [TestMethod]
    public void Split_TooFewSamples_ThrowsNamingTheNumbers()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => WalkForwardSplitter.Split(300, new WalkForwardOptions { Folds = 4, MinTrainSize = 365 }));

        Assert.Contains("300 samples", e.Message);
    }

    [TestMethod]
    public void SplitValidation_TrainingRange_LeavesTheGapBeforeTheValidationTail()
    {
        var fold = new WalkForwardFold(0, new SampleRange(0, 500), new SampleRange(506, 100), 6);

        var (fit, validation) = fold.SplitValidation(100);

        Assert.AreEqual(new SampleRange(0, 394), fit);
        Assert.AreEqual(new SampleRange(400, 100), validation);
    }
}
