namespace Predictive.Training.Data;

/// <summary>One walk-forward fold: a training range and the later test range it is judged on.</summary>
/// <param name="Index">The fold number, from 0.</param>
/// <param name="Train">The training samples (all before <see cref="Test"/>, separated by the gap).</param>
/// <param name="Test">The test samples.</param>
/// <param name="Gap">Samples dropped between training and test (purge + embargo).</param>
public sealed record WalkForwardFold(int Index, SampleRange Train, SampleRange Test, int Gap)
{
    /// <summary>
    /// Splits the training range into a fitting part and a validation tail of <paramref name="validationSize"/>
    /// samples for early stopping, with the same gap between them as between training and test.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The training range is too short to leave any fitting sample.</exception>
    public (SampleRange Fit, SampleRange Validation) SplitValidation(int validationSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(validationSize, 1);
        var fitEnd = Train.End - validationSize - Gap;
        if (fitEnd <= Train.Start)
        {
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize, $"fold {Index}: training range {Train} is too short for a validation tail of {validationSize} plus a gap of {Gap}.");
        }

        return (SampleRange.FromBounds(Train.Start, fitEnd), SampleRange.FromBounds(Train.End - validationSize, Train.End));
    }
}
