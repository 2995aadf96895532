namespace Predictive.Core.Rebalancing.Guards;

/// <summary>One guard's verdict, with the measured value and the limit it was held against.</summary>
/// <param name="Guard">The guard's name.</param>
/// <param name="Fired">Whether it blocks trading.</param>
/// <param name="Detail">What was measured, in a sentence.</param>
/// <param name="Asset">The asset that fired it (the worst one when several did), or null.</param>
/// <param name="Value">The measured value (NaN when nothing could be measured).</param>
/// <param name="Limit">The limit.</param>
public sealed record GuardResult(string Guard, bool Fired, string Detail, string? Asset, double Value, double Limit);
