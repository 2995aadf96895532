using System.ComponentModel.DataAnnotations;
using System.Numerics;

namespace Predictive.Chain.Transactions;

/// <summary>Gas, fee and confirmation policy of a <see cref="TransactionManager"/>. Bind from "Chain:Transactions".</summary>
public sealed class TransactionManagerOptions
{
    /// <summary>The configuration section this binds from.</summary>
    public const string SectionName = "Chain:Transactions";

    /// <summary>The smallest fee bump the replacement rule of geth-like nodes accepts, in percent.</summary>
    public const int MinimumReplacementBumpPercent = 10;

    /// <summary>Added to eth_estimateGas, in percent.</summary>
    /// <value>The default value is 20 percent.</value>
    [Range(0, 500)]
    public int GasMarginPercent { get; set; } = 20;

    /// <summary>The most the manager ever offers per gas unit (base fee + tip), in gwei. Sending above it is refused.</summary>
    /// <value>The default value is 200 gwei.</value>
    [Range(typeof(decimal), "0.000000001", "1000000")]
    public decimal MaxFeePerGasCapGwei { get; set; } = 200m;

    /// <summary>The smallest tip offered, in gwei, even when recent blocks paid less.</summary>
    /// <value>The default value is 0.01 gwei.</value>
    [Range(typeof(decimal), "0", "10000")]
    public decimal MinPriorityFeeGwei { get; set; } = 0.01m;

    /// <summary>Blocks of eth_feeHistory read to choose the tip.</summary>
    /// <value>The default value is 10 blocks.</value>
    [Range(1, 1024)]
    public int FeeHistoryBlocks { get; set; } = 10;

    /// <summary>The reward percentile of each block taken as its tip; the tip is the median over blocks.</summary>
    /// <value>The default value is the 50th percentile.</value>
    [Range(0.0, 100.0)]
    public double TipPercentile { get; set; } = 50;

    /// <summary>Blocks including the transaction's own needed before it counts as confirmed.</summary>
    /// <value>The default value is 1 (mined).</value>
    [Range(1, 1000)]
    public int Confirmations { get; set; } = 1;

    /// <summary>
    /// How far back (in blocks from the head) <see cref="TransactionManager.ReopenReorganizedAsync"/> checks that a
    /// journaled mined transaction is still in the chain.
    /// </summary>
    /// <value>The default value is 64 blocks.</value>
    [Range(0, 1_000_000)]
    public int ReorgWindowBlocks { get; set; } = 64;

    /// <summary>How often receipts and the head are polled while waiting.</summary>
    /// <value>The default value is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A sent transaction not mined after this long is replaced with higher fees under the same nonce.</summary>
    /// <value>The default value is 3 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Fee increase of a replacement over the transaction it replaces, in percent (at least 10).</summary>
    /// <value>The default value is 12 percent.</value>
    [Range(MinimumReplacementBumpPercent, 1000)]
    public int ReplacementBumpPercent { get; set; } = 12;

    /// <summary>
    /// After a block has taken a nonce of ours, how long the receipts of the intent's transactions are still polled before
    /// concluding that another transaction took it (and signing the intent again): a node's receipt index can lag its
    /// nonce count, and concluding too early pays twice.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReceiptLagGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="TransactionManager.WaitAsync"/> waits for the confirmations before giving up (the journal entry stays open).</summary>
    /// <value>The default value is 30 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromMinutes(30);

    internal BigInteger MaxFeePerGasCapWei => GweiToWei(MaxFeePerGasCapGwei);

    internal BigInteger MinPriorityFeeWei => GweiToWei(MinPriorityFeeGwei);

    internal void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException("Invalid transaction manager options: " + string.Join("; ", results.Select(r => r.ErrorMessage)));
        }
    }

    private static BigInteger GweiToWei(decimal gwei) => new(decimal.Truncate(gwei * 1_000_000_000m));
}
