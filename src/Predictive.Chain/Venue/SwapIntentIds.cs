using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Venue;

/// <summary>
/// Intent ids of vault swaps: <c>swap:{vault}:{slot}:{leg}:{order hash}</c>. They come only from what the decision is
/// about — the vault, the decision slot (the bar or interval the decision belongs to), the leg (the order's position in
/// that slot's plan) and the order's content — never from a process clock, a run id or a process-local counter, so a
/// second process deciding the same slot finds the first one's intents in the keeper's journal.
/// </summary>
public static class SwapIntentIds
{
    /// <summary>The id of leg <paramref name="leg"/> of <paramref name="slot"/> trading the given raw order.</summary>
    /// <param name="vault">The vault.</param>
    /// <param name="slot">The decision slot (no ':' or whitespace).</param>
    /// <param name="leg">The order's position in the slot's plan (0-based).</param>
    /// <param name="tokenIn">Token sold.</param>
    /// <param name="tokenOut">Token bought.</param>
    /// <param name="amountInRaw">Base units sold, as ordered.</param>
    /// <param name="minAmountOutRaw">The order's own minimum output in base units (before the venue's fresh quote).</param>
    /// <exception cref="ArgumentException">The slot is empty or holds ':' or whitespace, or the leg is negative.</exception>
    public static string For(EthAddress vault, string slot, int leg, EthAddress tokenIn, EthAddress tokenOut, BigInteger amountInRaw, BigInteger minAmountOutRaw)
    {
        ArgumentNullException.ThrowIfNull(tokenIn);
        ArgumentNullException.ThrowIfNull(tokenOut);
        var content = string.Create(CultureInfo.InvariantCulture, $"{tokenIn}>{tokenOut}:{amountInRaw}:{minAmountOutRaw}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 8));
        return LegPrefix(vault, slot, leg) + hash;
    }

    /// <summary>The prefix every id of leg <paramref name="leg"/> of <paramref name="slot"/> starts with, whatever the order.</summary>
    /// <exception cref="ArgumentException">The slot is empty or holds ':' or whitespace, or the leg is negative.</exception>
    public static string LegPrefix(EthAddress vault, string slot, int leg)
    {
        ArgumentNullException.ThrowIfNull(vault);
        CheckSlot(slot);
        ArgumentOutOfRangeException.ThrowIfNegative(leg);
        return string.Create(CultureInfo.InvariantCulture, $"swap:{vault}:{slot}:{leg}:");
    }

    /// <summary>Refuses a slot that is empty or would make ids ambiguous.</summary>
    /// <exception cref="ArgumentException">The slot is empty or holds ':' or whitespace.</exception>
    public static void CheckSlot(string slot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slot);
        if (slot.Any(c => c == ':' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"Decision slot '{slot}' may not contain ':' or whitespace.", nameof(slot));
        }
    }
}
