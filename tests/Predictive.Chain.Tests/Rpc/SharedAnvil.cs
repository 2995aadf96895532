using Predictive.Chain.Rpc;

[assembly: DoNotParallelize]

namespace Predictive.Chain.Tests.Rpc;

/// <summary>
/// The one anvil node the RPC, transaction-manager and vault tests share: started by the first test that needs it,
/// killed at assembly cleanup. Tests run one at a time (<c>DoNotParallelize</c>), since some switch automine off.
/// Tests that must stop or restart a node start their own <see cref="AnvilNode"/>.
/// </summary>
[TestClass]
public sealed class SharedAnvil
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static AnvilNode? _node;
    private static EvmRpcClient? _client;

    /// <summary>The shared node's client (call <see cref="EnsureStartedAsync"/> first).</summary>
    internal static EvmRpcClient Client => _client ?? throw new InvalidOperationException("The shared anvil node is not started; call SharedAnvil.EnsureStartedAsync first.");

    /// <summary>The shared node's URL.</summary>
    internal static Uri Endpoint => _node?.Endpoint ?? throw new InvalidOperationException("The shared anvil node is not started.");

    /// <summary>Starts the node unless it is running.</summary>
    internal static async Task<EvmRpcClient> EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_client is null)
            {
                _node = await AnvilNode.StartAsync();
                _client = _node.CreateClient();
            }

            return _client;
        }
        finally
        {
            Gate.Release();
        }
    }

    [AssemblyCleanup]
    public static void StopSharedAnvil()
    {
        _client?.Dispose();
        _node?.Dispose();
        _client = null;
        _node = null;
    }
}

/// <summary>Base of test classes on the shared node: starts it before each test (a no-op once running).</summary>
public abstract class SharedAnvilTests
{
    protected static EvmRpcClient Client => SharedAnvil.Client;

    [TestInitialize]
    public async Task StartSharedAnvil() => await SharedAnvil.EnsureStartedAsync();
}
