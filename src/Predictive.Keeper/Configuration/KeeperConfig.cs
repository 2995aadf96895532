namespace Predictive.Keeper.Configuration;

/// <summary>
/// keeper.json: one keeper process (its key, fee ceiling, confirmations, store, service) over the vaults it drives.
/// Property names are camelCase; <see cref="KeeperConfigLoader"/> reads and validates it, naming the field of each error.
/// </summary>
public sealed record KeeperConfig
{
    /// <summary>The targets service: <c>POST /v1/targets</c> at this base URL.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Where the keeper's key comes from.</summary>
    public KeySourceConfig? Key { get; init; }

    /// <summary>
    /// The gas gate's ceiling on the base fee (Yearn's <c>maxAcceptableBaseFee</c>), in gwei: above it, no trade this pass.
    /// The default value is 100 gwei.
    /// </summary>
    public decimal MaxBaseFeeGwei { get; init; } = 100m;

    /// <summary>The transaction manager's cap on the max fee per gas, in gwei. The default value is 200 gwei.</summary>
    public decimal MaxFeePerGasGwei { get; init; } = 200m;

    /// <summary>Blocks on top of a receipt before a trade counts as done. The default value is 1.</summary>
    public int Confirmations { get; init; } = 1;

    /// <summary>The keeper store (leases and the decision log), a SQLite file; relative to keeper.json. The default value is keeper.db.</summary>
    public string Store { get; init; } = "keeper.db";

    /// <summary>How long a vault's lease lasts without renewal, in seconds. The default value is 120.</summary>
    public int LeaseSeconds { get; init; } = 120;

    /// <summary>What a keeper does when another holds a vault's lease: <c>wait</c> (retry each pass) or <c>exit</c>. The default value is wait.</summary>
    public string OnLeaseHeld { get; init; } = "wait";

    /// <summary>The port of the Prometheus scrape endpoint (<c>http://localhost:PORT/metrics</c>) of <c>keeper run</c>; 0 turns it off. The default value is 0.</summary>
    public int MetricsPort { get; init; }

    /// <summary>The vaults this keeper drives.</summary>
    public IReadOnlyList<VaultConfig>? Vaults { get; init; }

    /// <summary>Governed mode's registry and confirmations (<see cref="Governance.GovernanceConfig"/>; also on when a vault's chain.json names governance).</summary>
    public Governance.GovernanceConfig? Governance { get; init; }
}

/// <summary>
/// The keeper's key: exactly one of a Web3 keystore file (password from an environment variable), an environment variable
/// holding the key, or anvil's dev keeper key (refused unless every vault is on chain id 31337).
/// </summary>
public sealed record KeySourceConfig
{
    /// <summary>A Web3 (v3) keystore file; relative to keeper.json.</summary>
    public string? Keystore { get; init; }

    /// <summary>The environment variable holding the keystore's password. The default value is PREDICTIVE_KEYSTORE_PASSWORD.</summary>
    public string PasswordEnv { get; init; } = "PREDICTIVE_KEYSTORE_PASSWORD";

    /// <summary>An environment variable holding the key itself (hex).</summary>
    public string? PrivateKeyEnv { get; init; }

    /// <summary>Use anvil's dev keeper key (local chain id 31337 only).</summary>
    public bool Dev { get; init; }
}

/// <summary>One vault the keeper drives.</summary>
public sealed record VaultConfig
{
    /// <summary>A short name for logs and the decision log (defaults to the vault address).</summary>
    public string? Name { get; init; }

    /// <summary>chain.json describing the deployment (router, tokens, pools, feeds); relative to keeper.json.</summary>
    public string? Chain { get; init; }

    /// <summary>The node's JSON-RPC URL (defaults to chain.json's).</summary>
    public string? RpcUrl { get; init; }

    /// <summary>The chain id the node must report.</summary>
    public long? ChainId { get; init; }

    /// <summary>The vault's address; must be chain.json's vault.</summary>
    public string? Vault { get; init; }

    /// <summary>The portfolio id the service selects the active model by (defaults to the name).</summary>
    public string? Portfolio { get; init; }

    /// <summary>
    /// A model <c>name/version</c> to ask the service for, instead of the portfolio's active model; in governed mode the
    /// model's name only (default <c>default</c>), whose registry-active version is the one traded.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>The rebalancing policy (the composition's forms, e.g. cost-aware, band:0.05, full). The default value is cost-aware.</summary>
    public string Policy { get; init; } = "cost-aware";

    /// <summary>Tolerance below the fresh pool quote, in basis points (null: the deployed slippage budget).</summary>
    public int? SlippageBps { get; init; }

    /// <summary>The planner's largest price impact per swap, in basis points (null: the deployed budget).</summary>
    public double? MaxImpactBps { get; init; }

    /// <summary>The most TWAP slices one order is split into. The default value is 24.</summary>
    public int MaxSlices { get; init; } = 24;

    /// <summary>The guards' limits.</summary>
    public GuardLimitsConfig Guards { get; init; } = new();

    /// <summary>The oracle gate's limits (the feeds are chain.json's).</summary>
    public OracleConfig Oracle { get; init; } = new();

    /// <summary>Seconds between passes; also the decision slot's length. The default value is 3600.</summary>
    public int IntervalSeconds { get; init; } = 3600;

    /// <summary>Where the feature inputs come from.</summary>
    public MarketDataConfig? MarketData { get; init; }

    /// <summary>
    /// When passes run: <c>interval</c> (every <see cref="IntervalSeconds"/>) or <c>blocks</c> (on every
    /// <see cref="Blocks"/> new blocks, the node polled every <see cref="PollMilliseconds"/>). The default value is interval.
    /// </summary>
    public string Trigger { get; init; } = "interval";

    /// <summary>With <c>trigger: blocks</c>, the new blocks between passes; also the decision slot's length in blocks. The default value is 1.</summary>
    public int Blocks { get; init; } = 1;

    /// <summary>With <c>trigger: blocks</c>, how often the node's block number is polled, in milliseconds. The default value is 1000.</summary>
    public int PollMilliseconds { get; init; } = 1000;
}

/// <summary>The composition's guards.</summary>
public sealed record GuardLimitsConfig
{
    /// <summary>Largest |pool price / oracle price − 1|, in basis points (null: the deployed budget).</summary>
    public double? MaxDeviationBps { get; init; }

    /// <summary>The least pool liquidity, in quote units. The default value is 1,000,000.</summary>
    public decimal MinLiquidity { get; init; } = 1_000_000m;

    /// <summary>Annualized realized volatility above which nothing trades. The default value is 2.5.</summary>
    public double MaxVolatility { get; init; } = 2.5;
}

/// <summary>The oracle gate's limits.</summary>
public sealed record OracleConfig
{
    /// <summary>How old a feed's answer may be, in seconds. The default value is 3600.</summary>
    public int HeartbeatSeconds { get; init; } = 3600;

    /// <summary>The TWAP and move window, in seconds. The default value is 1800.</summary>
    public int WindowSeconds { get; init; } = 1800;
}

/// <summary>The market-data source of the feature inputs the keeper sends the service.</summary>
public sealed record MarketDataConfig
{
    /// <summary>
    /// A market data file that grows (CSV, Binance klines, Parquet; relative to keeper.json), <c>synthetic</c>,
    /// <c>exchange</c> (klines from the exchange's REST API) or <c>chain</c> (the feeds' prices and the pools' Swap volume).
    /// </summary>
    public string? Source { get; init; }

    /// <summary>With <c>exchange</c>: the kline interval (1m … 1w). The default value is 1h.</summary>
    public string? Interval { get; init; }

    /// <summary>With <c>exchange</c>: the REST base URL (null: Binance's).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>With <c>exchange</c>: the quote asset appended to each asset's symbol (BTC → BTCUSDT). The default value is USDT.</summary>
    public string QuoteAsset { get; init; } = "USDT";

    /// <summary>With <c>chain</c>: the bar length in seconds (null: the vault's interval).</summary>
    public int? BarSeconds { get; init; }

    /// <summary>With <c>chain</c>: blocks below the head a block must be before its logs and rounds count (reorg safety). The default value is 2.</summary>
    public int FinalityBlocks { get; init; } = 2;

    /// <summary>With <c>chain</c>: the most blocks one eth_getLogs request covers. The default value is 2000.</summary>
    public int MaxBlockRange { get; init; } = 2000;

    /// <summary>The synthetic market's seed. The default value is 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>How many bars (ending at the chain head's time) are sent. The default value is 120.</summary>
    public int Bars { get; init; } = 120;
}
