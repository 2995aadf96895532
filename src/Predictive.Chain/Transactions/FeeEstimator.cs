using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>EIP-1559 fees per gas unit, in wei.</summary>
/// <param name="MaxFeePerGas">The most paid per gas unit (base fee + tip).</param>
/// <param name="MaxPriorityFeePerGas">The tip per gas unit.</param>
/// <param name="BaseFeePerGas">The next block's base fee the estimate started from.</param>
public sealed record Eip1559Fees(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas, BigInteger BaseFeePerGas);

/// <summary>The fees needed exceed <see cref="TransactionManagerOptions.MaxFeePerGasCapGwei"/>; nothing was sent.</summary>
public sealed class FeeCapExceededException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public FeeCapExceededException(BigInteger requiredWei, BigInteger capWei, string what)
        : base($"{what} needs {requiredWei} wei per gas, above the configured cap of {capWei} wei ({Gwei(capWei)} gwei); refusing to send.")
    {
        RequiredWei = requiredWei;
        CapWei = capWei;
    }

    /// <summary>The fee per gas that would have been needed, in wei.</summary>
    public BigInteger RequiredWei { get; }

    /// <summary>The configured cap, in wei.</summary>
    public BigInteger CapWei { get; }

    private static string Gwei(BigInteger wei) => ((decimal)wei / 1_000_000_000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Chooses EIP-1559 fees from eth_feeHistory: the tip is the median of the recent blocks' reward percentile (at least the
/// configured minimum); the max fee is twice the next base fee plus the tip (room for six full blocks of +12.5%),
/// clipped to the cap. A cap below base fee + tip refuses with <see cref="FeeCapExceededException"/>.
/// </summary>
public sealed class FeeEstimator
{
    private readonly EvmRpcClient _client;
    private readonly TransactionManagerOptions _options;

    /// <summary>Creates an estimator.</summary>
    public FeeEstimator(EvmRpcClient client, TransactionManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
    }

    /// <summary>Fees for a new transaction.</summary>
    /// <exception cref="FeeCapExceededException">The base fee plus tip is above the cap.</exception>
    public async Task<Eip1559Fees> EstimateAsync(CancellationToken cancellationToken = default)
    {
        var history = await _client.GetFeeHistoryAsync(_options.FeeHistoryBlocks, BlockTag.Latest, [_options.TipPercentile], cancellationToken).ConfigureAwait(false);
        return Choose(history, _options.MinPriorityFeeWei, _options.MaxFeePerGasCapWei);
    }

    /// <summary>Fees for a replacement of a transaction that paid <paramref name="previous"/>: at least the bump on both fields.</summary>
    /// <exception cref="FeeCapExceededException">The bumped max fee is above the cap.</exception>
    public async Task<Eip1559Fees> EstimateReplacementAsync(Eip1559Fees previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var fresh = await EstimateUncappedAsync(cancellationToken).ConfigureAwait(false);
        return Bump(previous, fresh, _options.ReplacementBumpPercent, _options.MaxFeePerGasCapWei);
    }

    /// <summary>The fee choice, separated from the node for tests.</summary>
    internal static Eip1559Fees Choose(FeeHistoryResult history, BigInteger minTip, BigInteger cap)
    {
        var fees = Uncapped(history, minTip);
        var required = fees.BaseFeePerGas + fees.MaxPriorityFeePerGas;
        if (required > cap)
        {
            throw new FeeCapExceededException(required, cap, $"The next block (base fee {fees.BaseFeePerGas} wei, tip {fees.MaxPriorityFeePerGas} wei)");
        }

        return fees with { MaxFeePerGas = BigInteger.Min(fees.MaxFeePerGas, cap) };
    }

    /// <summary>A replacement's fees: each field the larger of the previous one raised by <paramref name="bumpPercent"/> (rounded up) and the fresh estimate.</summary>
    internal static Eip1559Fees Bump(Eip1559Fees previous, Eip1559Fees fresh, int bumpPercent, BigInteger cap)
    {
        var tip = BigInteger.Max(RaiseByPercent(previous.MaxPriorityFeePerGas, bumpPercent), fresh.MaxPriorityFeePerGas);
        var max = BigInteger.Max(RaiseByPercent(previous.MaxFeePerGas, bumpPercent), fresh.MaxFeePerGas);
        max = BigInteger.Max(max, tip);
        if (max > cap)
        {
            throw new FeeCapExceededException(max, cap, $"Replacing a transaction that offered {previous.MaxFeePerGas} wei per gas");
        }

        return new Eip1559Fees(max, tip, fresh.BaseFeePerGas);
    }

    private async Task<Eip1559Fees> EstimateUncappedAsync(CancellationToken cancellationToken)
    {
        var history = await _client.GetFeeHistoryAsync(_options.FeeHistoryBlocks, BlockTag.Latest, [_options.TipPercentile], cancellationToken).ConfigureAwait(false);
        return Uncapped(history, _options.MinPriorityFeeWei);
    }

    private static Eip1559Fees Uncapped(FeeHistoryResult history, BigInteger minTip)
    {
        if (history.BaseFeePerGas is not { Length: > 0 })
        {
            throw new InvalidOperationException("eth_feeHistory returned no base fees; the node may not support EIP-1559.");
        }

        // baseFeePerGas has one entry more than the blocks asked for: the last one is the next block's base fee.
        var baseFee = history.BaseFeePerGas[^1].Value;
        var tips = (history.Reward ?? []).Where(r => r is { Length: > 0 }).Select(r => r[0].Value).Order().ToList();
        var median = tips.Count == 0 ? BigInteger.Zero : tips[tips.Count / 2];
        var tip = BigInteger.Max(median, minTip);
        return new Eip1559Fees(baseFee * 2 + tip, tip, baseFee);
    }

    private static BigInteger RaiseByPercent(BigInteger value, int percent) => (value * (100 + percent) + 99) / 100;
}
