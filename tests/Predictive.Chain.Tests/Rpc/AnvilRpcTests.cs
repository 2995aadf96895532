using System.Numerics;
using Predictive.Chain.Abi;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;
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
        Assert.IsTrue(receipt.Succeeded);
        Assert.AreEqual(Dev.Address, receipt.From);
        Assert.AreEqual(before + 12345, await Client.GetBalanceAsync(Recipient));
    }

    [TestMethod]
    public async Task GetLogs_EventEmittedByDeployment_DecodesWithAbiEvent()
    {
        var transfer = AbiEvent.Parse("Transfer(address indexed from, address indexed to, uint256 value)");
        var initCode = EvmCode.EmitLog3AndStop(transfer.Topic0, Word(Dev.Address), Word(Recipient), Hex.ToFixedBigEndian(777, 32));
        var gas = await Client.EstimateGasAsync(new CallRequest(null, initCode) { From = Dev.Address });
        var transaction = new Eip1559Transaction
        {
            ChainId = AnvilNode.ChainId, Nonce = await Client.GetTransactionCountAsync(Dev.Address),
            MaxPriorityFeePerGas = 1_000_000_000, MaxFeePerGas = 100_000_000_000, GasLimit = gas * 2, Data = initCode,
        };
        var hash = await Client.SendRawTransactionAsync(transaction.Sign(Dev).Raw);
        var receipt = await Receipts.WaitAsync(Client, hash);
        Assert.IsNotNull(receipt.ContractAddress);

        var logs = await Client.GetLogsAsync(new LogFilter
        {
            FromBlock = BlockTag.Number(receipt.BlockNumber), ToBlock = BlockTag.Number(receipt.BlockNumber),
            Addresses = [receipt.ContractAddress], Topics = [[transfer.Topic0]],
        });

        Assert.HasCount(1, logs);
        var values = transfer.Decode(logs[0].Topics, logs[0].Data);
        Assert.AreEqual(Dev.Address, values[0]);
        Assert.AreEqual(Recipient, values[1]);
        Assert.AreEqual(new BigInteger(777), values[2]);
    }

    [TestMethod]
    public async Task Call_ReturningCode_GivesReturnedBytes()
    {
        var result = await Client.CallAsync(new CallRequest(null, EvmCode.ReturnData(Hex.ToFixedBigEndian(42, 32))));
        Assert.AreEqual(new BigInteger(42), AbiDecoder.Decode([AbiType.Parse("uint256")], result)[0]);
    }

    [TestMethod]
    public async Task Call_RevertingWithErrorString_ThrowsTypedErrorWithReason()
    {
        var revertData = AbiError.Parse("Error(string)").Encode("slippage too high");
        var error = await Assert.ThrowsExactlyAsync<RpcErrorException>(() => Client.CallAsync(new CallRequest(null, EvmCode.RevertWith(revertData))));
        Assert.AreEqual("eth_call", error.Method);
        Assert.IsNotNull(error.RevertData);
        Assert.AreEqual(RevertKind.Error, error.Revert!.Kind);
        Assert.AreEqual("slippage too high", error.Revert.Message);
        Assert.Contains("eth_call", error.Message);
    }

    [TestMethod]
    public async Task SendBatch_ReadsAndUnknownMethod_AnswersEachInOrder()
    {
        var answers = await Client.SendBatchAsync(
        [
            new RpcRequest("eth_chainId"),
            new RpcRequest("eth_getBalance", Dev.Address.ToString(), BlockTag.Latest),
            new RpcRequest("no_suchMethod"),
            new RpcRequest("eth_blockNumber"),
        ]);

        Assert.HasCount(4, answers);
        Assert.AreEqual(new BigInteger(AnvilNode.ChainId), Hex.DecodeQuantity(answers[0].GetResult().GetString()!));
        Assert.IsGreaterThan(BigInteger.Zero, Hex.DecodeQuantity(answers[1].GetResult().GetString()!));
        Assert.IsNotNull(answers[2].Error);
        Assert.AreEqual("no_suchMethod", answers[2].Error!.Method);
        Assert.IsNull(answers[3].Error);
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
}
