using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
using Predictive.Chain.Rpc;
using Predictive.Chain.Tests.Contracts;
using Predictive.Chain.Transactions;
using Predictive.Chain.Venue;
using Predictive.Core.Backtesting;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;

namespace Predictive.Chain.Tests.Venue;

/// <summary>A freshly deployed 4-asset demo world (LocalChainDeployer) and the pieces of a keeper run against it.</summary>
internal sealed class OnChainWorld : IDisposable
{
    /// <summary>The decision slot the tests' rebalances belong to.</summary>
    public const string Slot = "20250601T00Z";

    public static readonly IReadOnlyList<KeyValuePair<string, decimal>> Prices =
        [new("BTC", 30_000m), new("ETH", 2_000m), new("SOL", 25m), new("BNB", 300m)];

    private OnChainWorld(EvmRpcClient client, LocalChainManifest manifest, string directory)
    {
        Client = client;
        Manifest = manifest;
        Directory = directory;
    }

    public EvmRpcClient Client { get; }

    public LocalChainManifest Manifest { get; }

    public string Directory { get; }

    public string RunFile => Path.Combine(Directory, "rebalance-run.json");

    public static async Task<OnChainWorld> DeployAsync(EvmRpcClient client, Uri endpoint, IReadOnlyList<KeyValuePair<string, decimal>>? prices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "predictive-chain-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var manifest = await LocalChainDeployer.DeployAsync(client, endpoint, ContractArtifactsFixture.Get(), new LocalChainSetup { Prices = prices ?? Prices }, directory);
        return new OnChainWorld(client, manifest, directory);
    }

    /// <summary>A manager for another account (an attacker, the owner), its journal in this world's directory.</summary>
    public TransactionManager Manager(PrivateKey key, string name) =>
        new(Client, key, ExecutionJournal.Open(Path.Combine(Directory, $"{name}.journal.jsonl")),
            new TransactionManagerOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxFeePerGasCapGwei = 1_000m, ReceiptTimeout = TimeSpan.FromMinutes(2) },
            TimeProvider.System, VaultAbi.Errors);

    /// <summary>The keeper's manager; a second call with the same journal is a restart.</summary>
    public TransactionManager Keeper(EvmRpcClient client, Func<ExecutionCheckpoint, JournalEntry, ValueTask>? checkpoint = null) =>
        new(client, AnvilDevAccounts.Keeper, ExecutionJournal.Open(Path.Combine(Directory, "keeper.journal.jsonl")),
            new TransactionManagerOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxFeePerGasCapGwei = 1_000m, ReceiptTimeout = TimeSpan.FromMinutes(2) },
            TimeProvider.System, VaultAbi.Errors)
        { Checkpoint = checkpoint };

    public OnChainVenue Venue(EvmRpcClient client, TransactionManager? keeper, bool dryRun = false) =>
        new(client, Manifest.ToMarket(), new OnChainVenueOptions { DryRun = dryRun }, AnvilDevAccounts.Keeper.Address, keeper);

    /// <summary>The reference: the deployment's oracle feeds, as <c>predictive rebalance</c> reads them.</summary>
    public OracleReferencePrices Reference
    {
        get
        {
            var (quote, assets) = Manifest.ToOracle() ?? throw new InvalidOperationException("The demo world deploys a feed per token.");
            return new OracleReferencePrices(Client, quote, assets, Manifest.QuoteToken.Decimals);
        }
    }

    /// <summary>A keeper run through the one composition on the oracle feeds: full rebalance, the oracle's hygiene and the three guards, 100 bps impact per swap.</summary>
    public OnChainRebalancer Rebalancer(OnChainVenue venue, PolicySpec? policy = null, TradePlannerOptions? planner = null) =>
        new(venue, new RebalancePipelineOptions
        {
            Policy = policy ?? PolicySpec.Full(),
            Planner = planner ?? new TradePlannerOptions { MaxPriceImpactBps = 100 },
            Guards = [new LiquidityGuard(), new PriceDeviationGuard(), new VolatilityCircuitBreaker()],
        }, Reference, Directory);

    public async Task<int> SwappedEventCountAsync() => (await SwappedEventsAsync()).Count;

    /// <summary>Every Swapped event of the vault, oldest first, as (token in, token out, raw amount in).</summary>
    public async Task<IReadOnlyList<SwappedTrade>> SwappedEventsAsync()
    {
        var swapped = Client.Web3.Eth.GetEvent<SwappedEvent>(Manifest.Vault);
        var logs = await swapped.GetAllChangesAsync(swapped.CreateFilterInput(BlockTag.Earliest, BlockTag.Latest));
        return [.. logs.Select(l => new SwappedTrade(TestReads.Address(l.Event.TokenIn), TestReads.Address(l.Event.TokenOut), l.Event.AmountIn))];
    }

    /// <summary>The trade an order of <paramref name="amountIn"/> token units of <paramref name="assetIn"/> makes, computed from the manifest.</summary>
    public SwappedTrade Swap(string assetIn, string assetOut, decimal amountIn)
    {
        var market = Manifest.ToMarket();
        var tokenIn = market.Token(assetIn);
        return new SwappedTrade(tokenIn.Address, market.Token(assetOut).Address, TokenAmounts.ToRaw(amountIn, tokenIn.Decimals, UnitRounding.Down));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Scratch files in the temp directory.
        }
    }
}

/// <summary>One Swapped event: the pair and the raw input.</summary>
internal sealed record SwappedTrade(EthAddress TokenIn, EthAddress TokenOut, System.Numerics.BigInteger AmountInRaw);
