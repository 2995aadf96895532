using System.ComponentModel.DataAnnotations;

namespace Predictive.Core.Rebalancing.Costs;

/// <summary>
/// Parameters of the swap cost model: pool fee, gas and slippage tolerance. Defaults describe a Uniswap V2 swap on
/// Ethereum mainnet; call <see cref="Validate"/> (or bind with data-annotation validation) before use.
/// </summary>
public sealed record SwapCostOptions
{
    /// <summary>The defaults.</summary>
    public static SwapCostOptions Default { get; } = new();

    /// <summary>
    /// The pool fee in basis points, taken from the input amount. The default value is 30 (Uniswap V2's 0.3 %).
    /// </summary>
    [Range(0, 1_000, ErrorMessage = "PoolFeeBps must be in [0, 1000] basis points (Uniswap V2 charges 30).")]
    public int PoolFeeBps { get; init; } = 30;

    /// <summary>
    /// Gas used by one single-hop swap. The default value is 130,000.
    /// </summary>
    /// <remarks>
    /// Assumption: a single-hop <c>swapExactTokensForTokens</c> through the UniswapV2Router02 uses roughly
    /// 110k–150k gas on mainnet (two ERC-20 transfers, the pair's <c>swap</c> and reserve update; the spread is token
    /// transfer logic and cold/warm storage). 130k is the middle of that range; a second hop adds roughly 60k.
    /// </remarks>
    [Range(21_000, 2_000_000, ErrorMessage = "GasUnitsPerSwap must be in [21000, 2000000] (a V2 router swap uses about 110k–150k).")]
    public long GasUnitsPerSwap { get; init; } = 130_000;

    /// <summary>
    /// The gas price in gwei used when no gas price series covers the time. The default value is 30 gwei
    /// (a typical mainnet level in 2021–2023; the 2021 daily average was often far higher).
    /// </summary>
    [Range(0.0, 10_000.0, ErrorMessage = "GasPriceGwei must be in [0, 10000] gwei.")]
    public double GasPriceGwei { get; init; } = 30;

    /// <summary>
    /// The native token's (ETH's) price in quote units used when the market panel has no price for it.
    /// The default value is 2,000.
    /// </summary>
    [Range(0.0, 1_000_000.0, ErrorMessage = "NativeTokenPriceQuote must be in [0, 1000000] quote units.")]
    public double NativeTokenPriceQuote { get; init; } = 2_000;

    /// <summary>The native token's symbol in the market panel. The default value is <c>ETH</c>.</summary>
    [Required(ErrorMessage = "NativeTokenSymbol is required (for example ETH).")]
    public string NativeTokenSymbol { get; init; } = "ETH";

    /// <summary>
    /// The slippage tolerance in basis points: a swap's minimum output is the quoted output × (1 − SlippageBps/10⁴).
    /// The default value is 50 (0.5 %, the Uniswap interface's usual default).
    /// </summary>
    [Range(0, 5_000, ErrorMessage = "SlippageBps must be in [0, 5000] basis points.")]
    public int SlippageBps { get; init; } = 50;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it and its range.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this);
}
