namespace Predictive.Training.Data;

/// <summary>A contiguous range of sample indexes <c>[Start, Start + Count)</c> in a <see cref="TrainingDataset"/>.</summary>
/// <param name="Start">The first sample.</param>
/// <param name="Count">The number of samples.</param>
public readonly record struct SampleRange(int Start, int Count)
{
    /// <summary>One past the last sample.</summary>
    public int End => Start + Count;

    /// <summary>Whether the range holds no sample.</summary>
    public bool IsEmpty => Count <= 0;

    /// <summary>Whether <paramref name="sample"/> lies in the range.</summary>
    public bool Contains(int sample) => sample >= Start && sample < End;

    /// <summary>The range <c>[start, end)</c>; empty when <paramref name="end"/> is not after <paramref name="start"/>.</summary>
    public static SampleRange FromBounds(int start, int end) => new(start, Math.Max(0, end - start));

    /// <inheritdoc />
    public override string ToString() => $"[{Start}, {End})";
}
