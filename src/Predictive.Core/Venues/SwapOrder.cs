namespace Predictive.Core.Venues;

/// <summary>An exact-input swap: sell <paramref name="AmountIn"/> of one token for at least <paramref name="MinAmountOut"/> of another.</summary>
/// <param name="AssetIn">The token sold.</param>
/// <param name="AssetOut">The token bought.</param>
/// <param name="AmountIn">Input, token units, &gt; 0.</param>
/// <param name="MinAmountOut">The least output accepted (the slippage limit); below it the swap reverts.</param>
public sealed record SwapOrder(string AssetIn, string AssetOut, decimal AmountIn, decimal MinAmountOut);
