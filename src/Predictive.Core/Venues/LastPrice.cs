namespace Predictive.Core.Venues;

/// <summary>The last reference price of an asset that has none now, and the close time of the bar it was last priced.</summary>
/// <param name="Price">Quote units per token, finite and positive.</param>
/// <param name="Since">When that price was current (the close of the last priced bar).</param>
public readonly record struct LastPrice(double Price, DateTimeOffset Since);
