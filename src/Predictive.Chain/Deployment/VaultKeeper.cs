using System.Numerics;
using Nethereum.Contracts;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Deployment;

/// <summary>A quoted vault swap: the pool's expected output now and the minimum accepted.</summary>
/// <param name="ExpectedOut">The router's getAmountsOut for the amount in.</param>
/// <param name="MinAmountOut">Expected output less the slippage tolerance.</param>
public sealed record VaultSwapQuote(BigInteger ExpectedOut, BigInteger MinAmountOut);

/// <summary>The keeper's side of a vault: quote a swap, then send it with a minimum output and a chain-time deadline.</summary>
public sealed class VaultKeeper
{
    /// <summary>
    /// Gas a swap may need beyond the node's estimate: a Uniswap V2 pair's first trade in a block also writes its two
    /// cumulative-price slots, each up to a cold zero-to-nonzero SSTORE (20,000 + 2,100). An estimate taken in the same
    /// second as the pair's last trade skips that work, and a limit of estimate + 20 % then runs out of gas when the
    /// swap is mined a block later (seen on anvil as "reverted without data" with gas used = gas limit).
    /// </summary>
    public static readonly BigInteger PairOracleUpdateGas = 2 * (20_000 + 2_100);

    private readonly TransactionManager _keeper;
    private readonly EthAddress _vault;
    private readonly EthAddress _router;

    /// <summary>Creates the keeper client; <paramref name="keeper"/> sends from the vault's keeper account.</summary>
    public VaultKeeper(TransactionManager keeper, EthAddress vault, EthAddress router)
    {
        ArgumentNullException.ThrowIfNull(keeper);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(router);
        _keeper = keeper;
        _vault = vault;
        _router = router;
    }

    /// <summary>The pool's quote for selling <paramref name="amountIn"/> and the minimum output with <paramref name="slippageBps"/> tolerance.</summary>
    public async Task<VaultSwapQuote> QuoteAsync(EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn, int slippageBps, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slippageBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slippageBps, 10_000);
        var amounts = await _keeper.Client.QueryAsync<GetAmountsOutFunction, List<BigInteger>>(
            _router, new GetAmountsOutFunction { AmountIn = amountIn, Path = [tokenIn.ToString(), tokenOut.ToString()] }, null, cancellationToken).ConfigureAwait(false);
        var expected = amounts[1];
        return new VaultSwapQuote(expected, expected * (10_000 - slippageBps) / 10_000);
    }

    /// <summary>The call data and intent of a vault swap (for callers that submit and wait separately).</summary>
    public async Task<TransactionIntent> SwapIntentAsync(
        string intentId, EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn, BigInteger minAmountOut, CancellationToken cancellationToken = default)
    {
        var deadline = await _keeper.Client.DeadlineAsync(TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
        return SwapIntent(intentId, _vault, _router, tokenIn, tokenOut, amountIn, minAmountOut, deadline);
    }

    /// <summary>The intent of a <c>vault.swap</c> call, with <see cref="PairOracleUpdateGas"/> as its gas allowance.</summary>
    public static TransactionIntent SwapIntent(
        string intentId, EthAddress vault, EthAddress router, EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn, BigInteger minAmountOut, BigInteger deadline) =>
        new(intentId, vault, new VaultSwapFunction
        {
            Router = router.ToString(), TokenIn = tokenIn.ToString(), TokenOut = tokenOut.ToString(), AmountIn = amountIn, MinAmountOut = minAmountOut, Deadline = deadline,
        }.GetCallData()) { GasAllowance = PairOracleUpdateGas };

    /// <summary>Sends a vault swap and waits for its outcome (a revert is a failed result with its decoded reason).</summary>
    public async Task<ExecutionResult> SwapAsync(
        string intentId, EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn, BigInteger minAmountOut, CancellationToken cancellationToken = default)
    {
        var intent = await SwapIntentAsync(intentId, tokenIn, tokenOut, amountIn, minAmountOut, cancellationToken).ConfigureAwait(false);
        return await _keeper.ExecuteAsync(intent, cancellationToken).ConfigureAwait(false);
    }
}
