using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Tests.Rpc;

/// <summary>Bounded receipt polling for tests that send raw transactions without a <c>TransactionManager</c>.</summary>
internal static class Receipts
{
    /// <summary>
    /// Polls eth_getTransactionReceipt until the node has it. A node mines an automined transaction right after
    /// accepting it, but on a loaded machine the receipt can still lag the send by a moment, so a test must not read it once.
    /// </summary>
    public static async Task<TransactionReceipt> WaitAsync(EvmRpcClient client, string hash, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await client.GetTransactionReceiptAsync(hash, cancel.Token) is { } receipt)
            {
                return receipt;
            }

            try
            {
                await Task.Delay(delay, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new AssertFailedException($"No receipt for {hash} within {timeout ?? TimeSpan.FromMinutes(1)}.");
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(200, delay.TotalMilliseconds * 2));
        }
    }
}
