using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
using Predictive.Core.Rebalancing.Pipeline;

namespace Predictive.Keeper.Configuration;

/// <summary>What a lease-holder does when another keeper holds a vault's lease.</summary>
public enum LeaseHeldAction
{
    /// <summary>Skip the vault this pass and try again on the next.</summary>
    Wait,

    /// <summary>Stop the keeper with a message naming the vault and the holder.</summary>
    Exit,
}

/// <summary>keeper.json validated and resolved: absolute paths, parsed addresses, the composition's options.</summary>
/// <param name="ServiceUrl">The targets service's base URL (null for a pass whose targets are given, as in <c>predictive rebalance</c>).</param>
/// <param name="Key">The key source.</param>
/// <param name="MaxBaseFeeGwei">The gas gate's base-fee ceiling.</param>
/// <param name="MaxFeePerGasGwei">The transaction manager's fee cap.</param>
/// <param name="Confirmations">Confirmations before a trade counts as done.</param>
/// <param name="StorePath">The SQLite keeper store.</param>
/// <param name="Lease">How long a lease lasts without renewal.</param>
/// <param name="OnLeaseHeld">What to do when another keeper holds a vault.</param>
/// <param name="Vaults">The vaults.</param>
/// <param name="MetricsPort">The Prometheus scrape port of <c>keeper run</c> (0: off).</param>
public sealed record KeeperSettings(
    Uri? ServiceUrl, KeySourceConfig Key, decimal MaxBaseFeeGwei, decimal MaxFeePerGasGwei, int Confirmations, string StorePath, TimeSpan Lease,
    LeaseHeldAction OnLeaseHeld, IReadOnlyList<VaultSettings> Vaults, int MetricsPort = 0)
{
    /// <summary>The folder of a vault's journal, live state and run in progress: beside the store, one per vault address.</summary>
    public string StateDirectory(VaultSettings vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return Path.Combine(Path.GetDirectoryName(StorePath)!, "vaults", vault.Vault.ToString().ToLowerInvariant());
    }
}

/// <summary>One vault, resolved.</summary>
/// <param name="Name">Its name in logs and the decision log.</param>
/// <param name="Manifest">chain.json (router, tokens, pools, feeds).</param>
/// <param name="RpcUrl">The node.</param>
/// <param name="ChainId">The chain id the node must report.</param>
/// <param name="Vault">The vault.</param>
/// <param name="Portfolio">The portfolio id sent to the service.</param>
/// <param name="Model">A model name/version, or null for the portfolio's active model.</param>
/// <param name="Pipeline">The composition's options (policy, guards, costs, planner).</param>
/// <param name="Oracle">The oracle gate's limits.</param>
/// <param name="Interval">Seconds between passes and the decision slot's length.</param>
/// <param name="MarketDataSource">A market data file, <c>synthetic</c>, <c>exchange</c> or <c>chain</c> (<see cref="Market.MarketDataSources"/>).</param>
/// <param name="MarketDataSeed">The synthetic market's seed.</param>
/// <param name="MarketDataBars">Bars sent to the service.</param>
/// <param name="MarketDataOptions">The exchange's and the chain's source options (null: the defaults).</param>
/// <param name="Trigger">When passes run (null: on the interval).</param>
/// <param name="Governance">The registry and model of a governed vault (null: ungoverned).</param>
public sealed record VaultSettings(
    string Name, LocalChainManifest Manifest, Uri RpcUrl, long ChainId, EthAddress Vault, string Portfolio, string? Model,
    RebalancePipelineOptions Pipeline, OracleGateOptions Oracle, TimeSpan Interval, string MarketDataSource, int MarketDataSeed, int MarketDataBars,
    MarketDataConfig? MarketDataOptions = null, PassTrigger? Trigger = null, Governance.VaultGovernance? Governance = null)
{
    /// <summary>The market-data source's options.</summary>
    public MarketDataConfig MarketData => MarketDataOptions ?? new MarketDataConfig();

    /// <summary>When passes run.</summary>
    public PassTrigger PassOn => Trigger ?? PassTrigger.OnInterval;
}

/// <summary>When a vault's passes run: on its interval, or on every <see cref="Blocks"/> new blocks.</summary>
/// <param name="OnBlocks">Pass on new blocks instead of the interval.</param>
/// <param name="Blocks">New blocks between passes (and the decision slot's length in blocks).</param>
/// <param name="Poll">How often the node's block number is polled.</param>
public sealed record PassTrigger(bool OnBlocks, int Blocks, TimeSpan Poll)
{
    /// <summary>Passes on the interval.</summary>
    public static PassTrigger OnInterval { get; } = new(false, 1, TimeSpan.FromSeconds(1));
}
