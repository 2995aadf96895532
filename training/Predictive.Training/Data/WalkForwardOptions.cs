namespace Predictive.Training.Data;

/// <summary>Whether training windows grow with time or keep a fixed length.</summary>
public enum WalkForwardWindow
{
    /// <summary>Each fold trains on everything from the first sample up to the gap before its test block.</summary>
    Expanding,

    /// <summary>Each fold trains on the <see cref="WalkForwardOptions.RollingTrainSize"/> samples before the gap.</summary>
    Rolling,
}

/// <summary>Settings of <see cref="WalkForwardSplitter"/>.</summary>
/// <remarks>
/// <para>Between a fold's last training sample and its first test sample lie <see cref="Purge"/> + <see cref="Embargo"/>
/// dropped samples. The purge removes training samples whose label window (bar t to t + horizon) would reach into the
/// test block; with one-bar labels no overlap is possible, and the default purge of 1 is a margin. The embargo drops a
/// further stretch because features are rolling windows: the training rows right before the test block share most of
/// their inputs with the first test rows, so their errors are correlated.</para>
/// <para>The same gap separates the training part from the validation tail that early stopping uses
/// (<see cref="WalkForwardFold.SplitValidation"/>).</para>
/// </remarks>
public sealed record WalkForwardOptions
{
    /// <summary>The number of test folds. The default value is 4.</summary>
    public int Folds { get; init; } = 4;

    /// <summary>Samples per test fold; when null the samples after <see cref="MinTrainSize"/> are shared equally.</summary>
    public int? TestSize { get; init; }

    /// <summary>The fewest training samples the first fold may have. The default value is 365.</summary>
    public int MinTrainSize { get; init; } = 365;

    /// <summary>Expanding or rolling training windows. The default value is <see cref="WalkForwardWindow.Expanding"/>.</summary>
    public WalkForwardWindow Window { get; init; } = WalkForwardWindow.Expanding;

    /// <summary>The training length of rolling windows, in samples. The default value is 730.</summary>
    public int RollingTrainSize { get; init; } = 730;

    /// <summary>Samples dropped before a test block so no training label overlaps it. The default value is 1.</summary>
    public int Purge { get; init; } = 1;

    /// <summary>Further samples dropped after the purge, against serial correlation of rolling features. The default value is 5.</summary>
    public int Embargo { get; init; } = 5;

    /// <summary>The total gap between training and test, in samples.</summary>
    public int Gap => Purge + Embargo;

    /// <summary>A one-line description, for example <c>4 expanding folds, purge 1, embargo 5</c>.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Folds} {Window.ToString().ToLowerInvariant()} folds, purge {Purge}, embargo {Embargo}");

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Folds, 1, nameof(Folds));
        if (TestSize is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(TestSize));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinTrainSize, 1, nameof(MinTrainSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(RollingTrainSize, 1, nameof(RollingTrainSize));
        ArgumentOutOfRangeException.ThrowIfNegative(Purge, nameof(Purge));
        ArgumentOutOfRangeException.ThrowIfNegative(Embargo, nameof(Embargo));
    }
}
