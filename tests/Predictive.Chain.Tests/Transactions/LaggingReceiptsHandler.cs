using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Predictive.Chain.Tests.Transactions;

/// <summary>
/// In front of a real node: answers the next <paramref name="lagging"/> eth_getTransactionReceipt calls with a null
/// result, as a node whose receipt index lags its state (nonce already advanced, receipt not yet readable) would.
/// Every other call goes to the node.
/// </summary>
internal sealed class LaggingReceiptsHandler(int lagging) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly int _lagging = lagging;
    private int _remaining = lagging;

    /// <summary>Null receipts handed out so far.</summary>
    public int Served => _lagging - Math.Max(0, Volatile.Read(ref _remaining));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        if (JsonNode.Parse(body) is JsonObject call && (string?)call["method"] == "eth_getTransactionReceipt" && Interlocked.Decrement(ref _remaining) >= 0)
        {
            var reply = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = call["id"]?.DeepClone(), ["result"] = null };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(reply.ToJsonString(), Encoding.UTF8, "application/json") };
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
