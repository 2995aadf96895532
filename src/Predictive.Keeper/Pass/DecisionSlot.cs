using System.Globalization;

namespace Predictive.Keeper.Pass;

/// <summary>
/// The keeper's decision slot: the interval bucket of the chain head's timestamp, <c>floor(t / interval) × interval</c>
/// as <c>yyyyMMdd'T'HHmmss'Z'</c> (UTC). It comes from chain time, never a process clock, so every keeper (or scheduler
/// job) deciding a vault within one interval decides the same slot, and the slot-derived intent ids
/// (<c>Venue/SwapIntentIds</c>) keep a slot from trading twice even when a lease is lost mid-pass.
/// </summary>
public static class DecisionSlot
{
    /// <summary>The slot of <paramref name="chainTime"/> for passes every <paramref name="interval"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not at least one second.</exception>
    public static string Of(DateTimeOffset chainTime, TimeSpan interval)
    {
        var seconds = (long)interval.TotalSeconds;
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1L, nameof(interval));
        var t = chainTime.ToUnixTimeSeconds();
        var start = t - (((t % seconds) + seconds) % seconds);
        return DateTimeOffset.FromUnixTimeSeconds(start).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The slot of block <paramref name="number"/> for passes on every <paramref name="blocks"/> new blocks:
    /// <c>block{floor(number / blocks) × blocks}</c>, so every driver deciding within one bucket of blocks decides one slot.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The block number is negative or the bucket is not at least one block.</exception>
    public static string OfBlock(long number, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        return string.Create(CultureInfo.InvariantCulture, $"block{number - (number % blocks)}");
    }
}
