namespace Predictive.Core.Venues;

/// <summary>
/// Why a reference price cannot be trusted now (an oracle feed that is stale, non-positive, out of range, unanswered, or
/// disagrees with a second source). The price may still be given, for valuing holdings, but nothing trades on it.
/// </summary>
/// <param name="Asset">The asset whose price is affected (the quote asset's fault affects every price).</param>
/// <param name="Source">Which source failed (a feed's address, a file).</param>
/// <param name="Check">The check that failed, in one word (e.g. stale, non-positive, out-of-range, unanswered-round, twap-deviation).</param>
/// <param name="Detail">A sentence naming the source and the check, with the numbers.</param>
public sealed record ReferenceFault(string Asset, string Source, string Check, string Detail);
