using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Rpc;

[TestClass]
public sealed class AnvilRpcTests : SharedAnvilTests
{
    private static readonly PrivateKey Dev = PrivateKey.FromHex(AnvilNode.DevKey);
    private static readonly EthAddress Recipient = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

    [TestMethod]
    public async Task SendRawTransaction_Eip1559SignedHere_IsMinedWithExpectedSender()
    {
        var block = await Client.GetBlockByNumberAsync();
        var tip = await Client.GetMaxPriorityFeePerGasAsync();
        var before = await Client.GetBalanceAsync(Recipient);
        var transaction = new Eip1559Transaction
        {
            ChainId = await Client.GetChainIdAsync(),
            Nonce = await Client.GetTransactionCountAsync(Dev.Address),
            MaxPriorityFeePerGas = tip,
            MaxFeePerGas = block!.BaseFeePerGas!.Value * 2 + tip,
            GasLimit = 21000,
            To = Recipient,
            Value = 12345,
        };
        var signed = transaction.Sign(Dev);

        var hash = await Client.SendRawTransactionAsync(signed.Raw);

        Assert.AreEqual(signed.HashHex, hash);
        var receipt = await Receipts.WaitAsync(Client, hash);
        Assert.AreEqual(BigInteger.One, receipt.Status.Value);
        Assert.AreEqual(Dev.Address, EthAddress.Parse(receipt.From));
        Assert.AreEqual(before + 12345, await Client.GetBalanceAsync(Recipient));
    }

    [TestMethod]
    public async Task GetLogs_EventEmittedByDeployment_DecodesWithNethereumEvent()
    {
        var topic0 = Nethereum.Util.Sha3Keccack.Current.CalculateHashAsBytes("Transfer(address,address,uint256)");
        var initCode = EvmCode.EmitLog3AndStop(topic0, Word(Dev.Address), Word(Recipient), Word(777));
        var gas = await Client.EstimateGasAsync(new CallInput { From = Dev.Address.ToString(), Data = initCode.ToHex(true) });
        var transaction = new Eip1559Transaction
        {
            ChainId = AnvilNode.ChainId, Nonce = await Client.GetTransactionCountAsync(Dev.Address),
            MaxPriorityFeePerGas = 1_000_000_000, MaxFeePerGas = 100_000_000_000, GasLimit = gas * 2, Data = initCode,
        };
        var hash = await Client.SendRawTransactionAsync(transaction.Sign(Dev).Raw);
        var receipt = await Receipts.WaitAsync(Client, hash);
        Assert.IsNotNull(receipt.ContractAddress);

        var logs = await Client.GetLogsAsync(new NewFilterInput
        {
            FromBlock = BlockTag.Number(receipt.BlockNumber.Value), ToBlock = BlockTag.Number(receipt.BlockNumber.Value),
            Address = [receipt.ContractAddress], Topics = [topic0.ToHex(true)],
        });

        Assert.HasCount(1, logs);
        var transfer = logs[0].DecodeEvent<TransferEvent>().Event;
        Assert.AreEqual(Dev.Address, EthAddress.Parse(transfer.From.ToLowerInvariant()));
        Assert.AreEqual(Recipient, EthAddress.Parse(transfer.To.ToLowerInvariant()));
        Assert.AreEqual(new BigInteger(777), transfer.Value);
    }

    [TestMethod]
    public async Task Call_ReturningCode_GivesReturnedBytes()
    {
        var result = await Client.CallAsync(new CallInput { Data = EvmCode.ReturnData(Word(42)).ToHex(true) });
        Assert.AreEqual(new BigInteger(42), new BigInteger(result, isUnsigned: true, isBigEndian: true));
    }

    [TestMethod]
    public async Task Call_RevertingWithErrorString_ThrowsTypedErrorWithReason()
    {
        // Error(string) = 0x08c379a0, the string's offset, its length and its bytes padded to 32.
        byte[] revertData = [.. "0x08c379a0".HexToByteArray(), .. Word(32), .. Word(17), .. "slippage too high"u8, .. new byte[15]];
        var error = await Assert.ThrowsExactlyAsync<RpcErrorException>(() => Client.CallAsync(new CallInput { Data = EvmCode.RevertWith(revertData).ToHex(true) }));
        Assert.AreEqual("eth_call", error.Method);
        Assert.IsNotNull(error.RevertData);
        Assert.AreEqual(Predictive.Chain.Contracts.RevertKind.Error, error.Revert!.Kind);
        Assert.AreEqual("slippage too high", error.Revert.Message);
        Assert.Contains("eth_call", error.Message);
    }

    [TestMethod]
    public async Task GetFeeHistory_RecentBlocks_ReturnsBaseFees()
    {
        var history = await Client.GetFeeHistoryAsync(2, BlockTag.Latest, [50.0]);
        Assert.IsNotEmpty(history.BaseFeePerGas);
    }

    [TestMethod]
    public async Task GetChainId_DeadNode_ThrowsTransportErrorAfterBoundedRetries()
    {
        var endpoint = new Uri($"http://127.0.0.1:{AnvilNode.FreeLoopbackPort()}/");
        using var dead = new EvmRpcClient(new RpcClientOptions { Endpoint = endpoint, MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsExactlyAsync<RpcTransportException>(() => dead.GetChainIdAsync());

        Assert.AreEqual(3, error.Attempts);
        Assert.AreEqual("eth_chainId", error.Method);
        Assert.Contains("connection failed", error.Message);
    }

    [TestMethod]
    public async Task SendRawTransaction_DeadNode_IsNotRetried()
    {
        var endpoint = new Uri($"http://127.0.0.1:{AnvilNode.FreeLoopbackPort()}/");
        using var dead = new EvmRpcClient(new RpcClientOptions { Endpoint = endpoint, MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsExactlyAsync<RpcTransportException>(() => dead.SendRawTransactionAsync([0x01]));

        Assert.AreEqual(1, error.Attempts);
    }

    private static byte[] Word(EthAddress address) => [.. new byte[12], .. address.ToBytes()];

    private static byte[] Word(int value)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(word.AsSpan(28), value);
        return word;
    }

    [Event("Transfer")]
    private sealed class TransferEvent : IEventDTO
    {
        [Parameter("address", "from", 1, true)] public string From { get; set; } = "";
        [Parameter("address", "to", 2, true)] public string To { get; set; } = "";
        [Parameter("uint256", "value", 3, false)] public BigInteger Value { get; set; }
    }
}
