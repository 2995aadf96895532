using System.Numerics;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexTypes;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Transactions;

/// <summary>Thrown from a checkpoint hook to stop a manager between two journal steps, as a crash would.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException(ExecutionCheckpoint checkpoint)
        : base($"simulated crash after {checkpoint}")
    {
    }
}

/// <summary>Deterministic funded accounts and managers with their journal and nonce files in a scratch directory.</summary>
internal sealed class ChainTestKit : IDisposable
{
    private static readonly BigInteger HundredEther = BigInteger.Pow(10, 20);

    public ChainTestKit(EvmRpcClient client)
    {
        Client = client;
        Directory = Path.Combine(Path.GetTempPath(), "predictive-chain-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public EvmRpcClient Client { get; }

    public string Directory { get; }

    /// <summary>A key derived from a label (Keccak-256 of it), so each test has its own fresh account.</summary>
    public static PrivateKey Key(string label) => PrivateKey.FromBytes(Nethereum.Util.Sha3Keccack.Current.CalculateHashAsBytes("predictive-test:" + label));

    public async Task<PrivateKey> FundedKeyAsync(string label)
    {
        var key = Key(label);
        await SetBalanceAsync(key.Address, HundredEther);
        return key;
    }

    public Task SetBalanceAsync(EthAddress account, BigInteger wei) =>
        Client.RequestAsync("anvil_setBalance", [account.ToString(), new HexBigInteger(wei).HexValue]);

    /// <summary>A manager whose journal and nonce store live in files named after <paramref name="name"/>; a second call with the same name is a restart.</summary>
    public TransactionManager Manager(
        string name, PrivateKey key, Action<TransactionManagerOptions>? configure = null,
        Func<ExecutionCheckpoint, JournalEntry, ValueTask>? checkpoint = null, IEnumerable<ErrorABI>? errors = null, EvmRpcClient? client = null)
    {
        var options = new TransactionManagerOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(20),
            StuckAfter = TimeSpan.FromHours(1),
            ReceiptTimeout = TimeSpan.FromMinutes(2),
            ReceiptLagGrace = TimeSpan.FromSeconds(1),
            MinPriorityFeeGwei = 1m,
            MaxFeePerGasCapGwei = 100m,
        };
        configure?.Invoke(options);
        var journal = ExecutionJournal.Open(Path.Combine(Directory, name + ".journal.jsonl"));
        return new TransactionManager(client ?? Client, key, journal, options, TimeProvider.System, errors) { Checkpoint = checkpoint };
    }

    public Task SetAutomineAsync(bool enabled) => Client.RequestAsync("evm_setAutomine", [enabled]);

    public Task MineAsync() => Client.RequestAsync("evm_mine", []);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Scratch files in the temp directory; leaving them behind is harmless.
        }
    }
}

/// <summary>Base of test classes that use a <see cref="ChainTestKit"/> on the shared node (a fresh scratch directory per test).</summary>
public abstract class ChainKitTests : SharedAnvilTests, IDisposable
{
    private ChainTestKit? _kit;

    public TestContext TestContext { get; set; } = null!;

    internal ChainTestKit Kit => _kit ?? throw new InvalidOperationException("no kit");

    [TestInitialize]
    public async Task CreateKit() => _kit = new ChainTestKit(await SharedAnvil.EnsureStartedAsync());

    public void Dispose()
    {
        _kit?.Dispose();
        GC.SuppressFinalize(this);
    }
}
