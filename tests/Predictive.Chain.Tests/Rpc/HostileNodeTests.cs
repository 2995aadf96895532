using System.Net;
using System.Text;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Tests.Rpc;

/// <summary>
/// Our façade over Nethereum's client against a node that answers badly: a real HTTP server on a loopback port sends
/// the same scripted reply to every request and counts them.
/// </summary>
[TestClass]
public sealed class HostileNodeTests
{
    [TestMethod]
    public async Task GetChainId_Http503_RetriedThenTransportErrorNamingStatusNodeAndMethod()
    {
        using var node = new ScriptedNode(HttpStatusCode.ServiceUnavailable, "busy");
        using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = node.Endpoint, MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(5) });

        var error = await Assert.ThrowsExactlyAsync<RpcTransportException>(() => client.GetChainIdAsync());

        Assert.AreEqual(3, node.Requests, "one attempt and two retries");
        Assert.AreEqual(3, error.Attempts);
        Assert.AreEqual("eth_chainId", error.Method);
        Assert.Contains("HTTP 503", error.Message);
        Assert.Contains(node.Endpoint.GetLeftPart(UriPartial.Authority), error.Message);
    }

    [TestMethod]
    public async Task SendRawTransaction_Http503_SentOnceNeverRetried()
    {
        using var node = new ScriptedNode(HttpStatusCode.ServiceUnavailable, "busy");
        using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = node.Endpoint, MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5) });

        var error = await Assert.ThrowsExactlyAsync<RpcTransportException>(() => client.SendRawTransactionAsync([0x02, 0x01]));

        Assert.AreEqual(1, node.Requests);
        Assert.AreEqual("eth_sendRawTransaction", error.Method);
    }

    [TestMethod]
    public async Task GovernanceWeb3_Http503OnRead_RetriedByThePipelineThenTransportError()
    {
        using var node = new ScriptedNode(HttpStatusCode.ServiceUnavailable, "busy");
        var web3 = Predictive.Chain.Governance.GovernanceWeb3.ReadOnly(node.Endpoint.ToString());

        var error = await Assert.ThrowsExactlyAsync<RpcTransportException>(() => web3.Eth.Blocks.GetBlockNumber.SendRequestAsync());

        Assert.AreEqual(1 + new RpcClientOptions().MaxRetries, node.Requests, "one attempt and the pipeline's default retries");
        Assert.AreEqual("eth_blockNumber", error.Method);
    }

    [TestMethod]
    public async Task GovernanceWeb3_Http503OnRawTransaction_SentOnceNeverRetried()
    {
        using var node = new ScriptedNode(HttpStatusCode.ServiceUnavailable, "busy");
        var web3 = Predictive.Chain.Governance.GovernanceWeb3.For(Predictive.Chain.LocalChain.AnvilDevAccounts.Owner, 31337, node.Endpoint.ToString());

        var error = await Assert.ThrowsExactlyAsync<RpcTransportException>(() => web3.Eth.Transactions.SendRawTransaction.SendRequestAsync("0x0201"));

        Assert.AreEqual(1, node.Requests);
        Assert.AreEqual("eth_sendRawTransaction", error.Method);
    }

    [TestMethod]
    public async Task GetBlockNumber_ReplyNotJson_TransportErrorSaysTheReplyIsUnusable()
    {
        using var node = new ScriptedNode(HttpStatusCode.OK, "<html>not a node</html>");
        using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = node.Endpoint, MaxRetries = 0 });

        var error = await Assert.ThrowsExactlyAsync<RpcTransportException>(() => client.GetBlockNumberAsync());

        Assert.AreEqual("eth_blockNumber", error.Method);
        Assert.Contains("not a usable JSON-RPC response", error.Message);
    }

    [TestMethod]
    public async Task GetBalance_NodeErrorObject_RpcErrorWithCodeAndNodeMessage()
    {
        using var node = new ScriptedNode(HttpStatusCode.OK, """{"jsonrpc":"2.0","id":0,"error":{"code":-32005,"message":"rate limited"}}""");
        using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = node.Endpoint, MaxRetries = 3 });

        var error = await Assert.ThrowsExactlyAsync<RpcErrorException>(() => client.GetBalanceAsync(Predictive.Chain.Crypto.EthAddress.Zero));

        Assert.AreEqual(1, node.Requests, "a node's error answer is an answer, not a transport failure");
        Assert.AreEqual(-32005, error.Code);
        Assert.AreEqual("eth_getBalance", error.Method);
        Assert.Contains("rate limited", error.Message);
    }

    [TestMethod]
    public async Task GetChainId_CallerCancelsWhileRetrying_ThrowsOperationCanceled()
    {
        var dead = new Uri($"http://127.0.0.1:{AnvilNode.FreeLoopbackPort()}/");
        using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = dead, MaxRetries = 10, RetryDelay = TimeSpan.FromSeconds(1) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<OperationCanceledException>(() => client.GetChainIdAsync(cancel.Token));
    }

    /// <summary>An HTTP server answering every POST with one status and body.</summary>
    private sealed class ScriptedNode : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;
        private int _requests;

        public ScriptedNode(HttpStatusCode status, string body)
        {
            Endpoint = new Uri($"http://127.0.0.1:{AnvilNode.FreeLoopbackPort()}/");
            _listener.Prefixes.Add(Endpoint.ToString());
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _requests);
                    var bytes = Encoding.UTF8.GetBytes(body);
                    context.Response.StatusCode = (int)status;
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public Uri Endpoint { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
