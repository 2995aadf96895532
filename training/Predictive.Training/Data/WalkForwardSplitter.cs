namespace Predictive.Training.Data;

/// <summary>
/// Walk-forward (time-ordered) cross-validation: the last samples are cut into consecutive test blocks and each block is
/// predicted by a model trained only on earlier samples, with a purge + embargo gap in between.
/// </summary>
public static class WalkForwardSplitter
{
    /// <summary>Creates the folds for a dataset of <paramref name="sampleCount"/> time-ordered samples.</summary>
    /// <exception cref="ArgumentException">There are too few samples for the requested folds; the message gives the numbers.</exception>
    public static IReadOnlyList<WalkForwardFold> Split(int sampleCount, WalkForwardOptions? options = null)
    {
        options ??= new WalkForwardOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        var gap = options.Gap;
        var available = sampleCount - options.MinTrainSize - gap;
        var testSize = options.TestSize ?? (available / options.Folds);
        if (testSize < 1 || available < testSize * options.Folds)
        {
            throw new ArgumentException(
                $"{sampleCount} samples cannot hold {options.Folds} test folds of {(options.TestSize is null ? "at least 1" : testSize)} after {options.MinTrainSize} training samples and a gap of {gap}.",
                nameof(sampleCount));
        }

        var firstTest = sampleCount - (testSize * options.Folds);
        var folds = new WalkForwardFold[options.Folds];
        for (var k = 0; k < options.Folds; k++)
        {
            var testStart = firstTest + (k * testSize);
            var trainEnd = testStart - gap;
            var trainStart = options.Window == WalkForwardWindow.Rolling ? Math.Max(0, trainEnd - options.RollingTrainSize) : 0;
            folds[k] = new WalkForwardFold(k, SampleRange.FromBounds(trainStart, trainEnd), new SampleRange(testStart, testSize), gap);
        }

        return folds;
    }
}
