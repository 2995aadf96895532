using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Predictive.Chain.Governance;

/// <summary>Sends a typed function message from a Web3's account and refuses a failed receipt, naming the step.</summary>
internal sealed class ChainSender(IWeb3 web3)
{
    /// <summary>Sends, waits for the receipt and checks its status.</summary>
    public async Task<TransactionReceipt> SendAsync<TFunction>(string contract, TFunction message, string what, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        var receipt = await web3.Eth.GetContractTransactionHandler<TFunction>()
            .SendRequestAndWaitForReceiptAsync(contract, message, cancellationToken).ConfigureAwait(false);
        EnsureSucceeded(receipt, what);
        return receipt;
    }

    /// <summary>Throws when a receipt is missing or reverted.</summary>
    /// <exception cref="GovernanceException">The transaction failed.</exception>
    public static void EnsureSucceeded(TransactionReceipt? receipt, string what)
    {
        if (receipt is null || receipt.Status?.Value != 1)
        {
            throw new GovernanceException($"Could not {what}: transaction {receipt?.TransactionHash ?? "(none)"} reverted.");
        }
    }
}

/// <summary>A governance step failed or was refused; the message says which and why.</summary>
public sealed class GovernanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GovernanceException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GovernanceException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public GovernanceException(string message, Exception innerException) : base(message, innerException) { }
}
