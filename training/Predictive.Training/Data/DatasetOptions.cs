namespace Predictive.Training.Data;

/// <summary>How <c>TrainingDataset.Create</c> turns a panel into samples.</summary>
public sealed record DatasetOptions
{
    /// <summary>The defaults.</summary>
    public static DatasetOptions Default { get; } = new();

    /// <summary>
    /// Samples start at the first bar where at least this many assets are available: before that there is nothing to
    /// allocate between, and such periods would only dilute the loss. The default value is 2.
    /// </summary>
    public int MinAvailableAssets { get; init; } = 2;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfLessThan(MinAvailableAssets, 1, nameof(MinAvailableAssets));
}
