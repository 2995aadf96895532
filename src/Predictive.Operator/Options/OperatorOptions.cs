using System.ComponentModel.DataAnnotations;

namespace Predictive.Operator.Options;

/// <summary>
/// The operator's settings: the <c>Operator</c> section of <c>operator.json</c> (optional) with environment overrides
/// (<c>Operator__Retrain__Epochs=5</c>). Every default together is the embedded default: the synthetic market, a
/// SQLite store under <see cref="WorkingDirectory"/>, no service, no governance, no vaults.
/// </summary>
public sealed class OperatorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Operator";

    /// <summary>This node's id: the Quartz instance id and the <c>node</c> of every run it records.</summary>
    /// <value>The default value is <c>operator-1</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "NodeId must be 1-64 letters, digits, '.', '_' or '-'.")]
    public string NodeId { get; set; } = "operator-1";

    /// <summary>The node's own folder: the SQLite database, downloaded data, evaluation reports.</summary>
    /// <value>The default value is <c>operator-data</c> (relative to the working directory).</value>
    [Required]
    public string WorkingDirectory { get; set; } = "operator-data";

    /// <summary>The models directory the operator writes challengers into and activates from (the service's, when one is configured).</summary>
    /// <value>The default value is <c>operator-data/models</c>.</value>
    [Required]
    public string ModelsDirectory { get; set; } = "operator-data/models";

    /// <summary>The database of Quartz's tables and the operator's own (run history, challengers, trial ledger).</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>Where market data comes from.</summary>
    public DataSourceOptions Data { get; set; } = new();

    /// <summary>The recorded training configuration of every challenger.</summary>
    public RetrainOptions Retrain { get; set; } = new();

    /// <summary>How a challenger is judged against the champion.</summary>
    public EvaluationOptions Evaluation { get; set; } = new();

    /// <summary>The targets service whose admin API activates a winner; unset means the operator activates in the models directory itself.</summary>
    public ServiceConnectionOptions Service { get; set; } = new();

    /// <summary>Governed promotion (a Governor proposal); off by default.</summary>
    public GovernanceOptions Governance { get; set; } = new();

    /// <summary>The vaults the keeper jobs drive.</summary>
    public KeeperOptions Keeper { get; set; } = new();

    /// <summary>Every job's schedule.</summary>
    public ScheduleOptions Schedules { get; set; } = new();

    /// <summary>How long a shutdown waits for running jobs (which are cancelled first) before the host gives up.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>The port of the Prometheus scrape endpoint (<c>http://localhost:PORT/metrics</c>); 0 turns it off.</summary>
    /// <value>The default value is 0 (off).</value>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }
}

/// <summary>The operator's database: Quartz's tables and the operator's own, in one database.</summary>
public sealed class StoreOptions
{
    /// <summary>
    /// <c>sqlite</c>: one node, no server (the embedded default). <c>postgres</c>: a cluster of nodes sharing one
    /// PostgreSQL database through Quartz's clustering (each node with its own <see cref="OperatorOptions.NodeId"/> and
    /// working directory).
    /// </summary>
    /// <value>The default value is <c>sqlite</c>.</value>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Store:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// The connection string: unset means <c>Data Source=&lt;WorkingDirectory&gt;/operator.db</c> for SQLite; required for
    /// PostgreSQL (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>, best given through the environment).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSQL only: how often a node checks in to the cluster (Quartz <c>CheckinInterval</c>).</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(1, 300)]
    public int CheckinIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// PostgreSQL only: how late a node's check-in may be before the others declare it dead and recover its jobs (Quartz
    /// <c>CheckinMisfireThreshold</c>). Check-ins run on the scheduler's own loop, not on a job's thread, so a long
    /// retrain does not delay them; this margin covers a 2-core machine saturated by training (see docs/operator.md).
    /// </summary>
    /// <value>The default value is 20 seconds.</value>
    [Range(1, 3600)]
    public int CheckinMisfireThresholdSeconds { get; set; } = 20;
}

/// <summary>The market data source, read afresh by every job that needs it.</summary>
public sealed class DataSourceOptions
{
    /// <summary><c>synthetic</c> (the embedded generator), <c>file</c> (a CSV, kline or Parquet file that grows) or <c>download</c> (exchange klines).</summary>
    /// <value>The default value is <c>synthetic</c>.</value>
    [Required]
    [RegularExpression("^(synthetic|file|download)$", ErrorMessage = "Data:Kind must be synthetic, file or download.")]
    public string Kind { get; set; } = "synthetic";

    /// <summary>The file, for <c>file</c>; where downloads are written, for <c>download</c> (default <c>&lt;WorkingDirectory&gt;/market.csv</c>).</summary>
    public string? Path { get; set; }

    /// <summary>The synthetic market's seed.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>The synthetic market's bar count.</summary>
    /// <value>The default value is 1000.</value>
    [Range(200, 1_000_000)]
    public int Bars { get; set; } = 1000;

    /// <summary>Base assets to download, for <c>download</c>.</summary>
    public IList<string> Symbols { get; } = [];

    /// <summary>Kline interval to download.</summary>
    /// <value>The default value is <c>1d</c>.</value>
    public string Interval { get; set; } = "1d";

    /// <summary>How many days back a download reaches.</summary>
    /// <value>The default value is 1095 (three years).</value>
    [Range(30, 36_500)]
    public int LookbackDays { get; set; } = 1095;

    /// <summary>The exchange API base address (for mirrors and tests); unset means the downloader's default.</summary>
    public Uri? BaseUrl { get; set; }
}

/// <summary>The recorded configuration a challenger is trained with; it is written into each challenger's <c>model.json</c>.</summary>
public sealed class RetrainOptions
{
    /// <summary>The name challengers are published under (<c>&lt;models&gt;/&lt;name&gt;/&lt;version&gt;</c>).</summary>
    /// <value>The default value is <c>operator-allocator</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", ErrorMessage = "Retrain:ModelName must be a folder name of letters, digits, '.', '_' or '-'.")]
    public string ModelName { get; set; } = "operator-allocator";

    /// <summary>The learner: <c>eiie</c> or <c>mlp</c> (torch networks), or <c>gbm</c> (gradient-boosted trees, ML.NET FastTree).</summary>
    /// <value>The default value is <c>eiie</c>.</value>
    [Required]
    [RegularExpression("^(eiie|mlp|gbm)$", ErrorMessage = "Retrain:Kind must be eiie, mlp or gbm.")]
    public string Kind { get; set; } = "eiie";

    /// <summary>The learner's seed.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>gbm only: boosting rounds per regressor.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 10_000)]
    public int GbmTrees { get; set; } = 100;

    /// <summary>The most epochs of the fit (torch networks; gbm has no epochs).</summary>
    /// <value>The default value is 30.</value>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 30;

    /// <summary>Epochs without a better validation Sharpe before the fit stops (torch networks).</summary>
    /// <value>The default value is 6.</value>
    [Range(1, 10_000)]
    public int Patience { get; set; } = 6;

    /// <summary>The validation tail (samples) the torch fit early-stops on; gbm fits on every labelled sample, but the data must still be this long (twice, plus 100 bars).</summary>
    /// <value>The default value is 180.</value>
    [Range(10, 100_000)]
    public int ValidationSize { get; set; } = 180;

    /// <summary>The feature spec as JSON (<c>FeatureSpec.ToJson</c>); unset means the default spec (without volume features when the data has no volume).</summary>
    public string? FeatureSpec { get; set; }

    /// <summary>Whether to run the walk-forward folds before the final fit (five fits instead of one; their metrics go into <c>model.json</c>).</summary>
    /// <value>The default value is false.</value>
    public bool RunWalkForward { get; set; }

    /// <summary>
    /// Torch networks: the seeds of an ensemble, comma-separated (at least two, distinct); the challenger is one ONNX
    /// graph averaging one network per seed, and its model card lists each member. <c>none</c> trains one network with
    /// <see cref="Seed"/>. gbm ignores it.
    /// </summary>
    /// <value>The default value is <c>1,2,3,4,5</c>.</value>
    [Required]
    public string EnsembleSeeds { get; set; } = "1,2,3,4,5";

    /// <summary>Torch networks: the cost the training loss charges, <c>linear</c> (10 bps × turnover) or <c>pool</c> (Core's cost model: fee, constant-product impact, gas per traded asset; docs/learned-models.md). gbm ignores it.</summary>
    /// <value>The default value is <c>pool</c>.</value>
    [Required]
    [RegularExpression("^(linear|pool)$", ErrorMessage = "Retrain:Cost must be linear or pool.")]
    public string Cost { get; set; } = "pool";

    /// <summary>Torch networks with <see cref="Cost"/> <c>pool</c>: the calibrated turnover penalty's multiple (0: none).</summary>
    /// <value>The default value is 1.</value>
    [Range(0.0, 100.0)]
    public double TurnoverPenalty { get; set; } = 1;

    /// <summary>The ensemble's seeds parsed from <see cref="EnsembleSeeds"/>, or null for one network.</summary>
    /// <exception cref="FormatException">The list is not <c>none</c> or at least two distinct integers.</exception>
    public IReadOnlyList<int>? ParseEnsembleSeeds()
    {
        if (string.Equals(EnsembleSeeds.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var seeds = EnsembleSeeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => int.TryParse(x, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"Retrain:EnsembleSeeds '{EnsembleSeeds}': '{x}' is not an integer."))
            .ToList();
        return seeds.Count >= 2 && seeds.Distinct().Count() == seeds.Count
            ? seeds
            : throw new FormatException($"Retrain:EnsembleSeeds '{EnsembleSeeds}' must be 'none' or at least two distinct seeds.");
    }
}

/// <summary>Champion against challenger.</summary>
public sealed class EvaluationOptions
{
    /// <summary>The recent window, in bars, held out of every challenger's training and validation and used to judge it.</summary>
    /// <value>The default value is 180.</value>
    [Range(30, 100_000)]
    public int WindowBars { get; set; } = 180;

    /// <summary>The rebalancing policy of both backtests (the <c>compare</c> syntax).</summary>
    /// <value>The default value is <c>cost-band</c>, the cost-aware band.</value>
    [Required]
    public string Policy { get; set; } = "cost-band";

    /// <summary>The confidence level of the bootstrap interval of the Sharpe difference.</summary>
    /// <value>The default value is 0.95.</value>
    [Range(0.5, 0.999)]
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>The deflated Sharpe ratio (a probability) the challenger must exceed.</summary>
    /// <value>The default value is 0.95.</value>
    [Range(0.0, 1.0)]
    public double MinDeflatedSharpe { get; set; } = 0.95;

    /// <summary>Bootstrap resamples.</summary>
    /// <value>The default value is 1000.</value>
    [Range(100, 100_000)]
    public int BootstrapResamples { get; set; } = 1000;

    /// <summary>The bootstrap's seed.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>The backtests' starting value in quote units.</summary>
    /// <value>The default value is 100,000.</value>
    [Range(1.0, 1e12)]
    public decimal InitialValueQuote { get; set; } = 100_000m;
}

/// <summary>The targets service.</summary>
public sealed class ServiceConnectionOptions
{
    /// <summary>The service's base address (<c>http://127.0.0.1:5080</c>); unset means no service.</summary>
    public Uri? Url { get; set; }

    /// <summary>The service's admin key (at least 16 characters); required with <see cref="Url"/>.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>The timeout of one admin call.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// Governed promotion: a winner is proposed to the Governor (approve, and activate unless <see cref="Activate"/> is off)
/// instead of activated; the chain's registry then names the champion. The chain comes from <see cref="ChainManifest"/>
/// or from <see cref="RpcUrl"/>, <see cref="Governor"/> and <see cref="Registry"/> (which win over the manifest).
/// </summary>
public sealed class GovernanceOptions
{
    /// <summary>Whether a winner is proposed to the Governor instead of activated.</summary>
    /// <value>The default value is false.</value>
    public bool Enabled { get; set; }

    /// <summary>A chain manifest (<c>chain.json</c> after <c>predictive governance up</c>) naming the node and the governance contracts.</summary>
    public string? ChainManifest { get; set; }

    /// <summary>The node's JSON-RPC address.</summary>
    public Uri? RpcUrl { get; set; }

    /// <summary>The chain id the node must report (a proposal is signed for it).</summary>
    /// <value>The default value is the manifest's, else 31337 (anvil).</value>
    public long? ChainId { get; set; }

    /// <summary>The Governor's address.</summary>
    public string? Governor { get; set; }

    /// <summary>The model registry's address (the proposal's target; the champion is its active version of <see cref="RetrainOptions.ModelName"/>).</summary>
    public string? Registry { get; set; }

    /// <summary>The proposer's private key (hex); give it through the environment (<c>Operator__Governance__ProposerKey</c>), not the file. It needs the Governor's proposal threshold of votes.</summary>
    public string? ProposerKey { get; set; }

    /// <summary>Whether the proposal also makes the winner its model's active version (else it only approves it).</summary>
    /// <value>The default value is true.</value>
    public bool Activate { get; set; } = true;

    /// <summary>Blocks below the latest at which the champion is read from the registry (as the governed service reads it).</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 1000)]
    public int Confirmations { get; set; }
}

/// <summary>The keeper jobs: one per vault, each running the keeper's pass (<c>Predictive.Keeper</c>) in process.</summary>
public sealed class KeeperOptions
{
    /// <summary>
    /// keeper.json (the same file <c>predictive keeper run --config</c> takes): key source, fee ceiling, lease, store,
    /// targets service and the vaults' chains and policies. Required when <see cref="Vaults"/> names any vault.
    /// </summary>
    public string? Config { get; set; }

    /// <summary>The vaults, one job each; each names a vault of <see cref="Config"/>.</summary>
    public IList<VaultOptions> Vaults { get; } = [];
}

/// <summary>One vault's job.</summary>
public sealed class VaultOptions
{
    /// <summary>The vault's name in keeper.json: its job is <c>keeper-&lt;name&gt;</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Keeper:Vaults:Name must be 1-64 letters, digits, '.', '_' or '-'.")]
    public string Name { get; set; } = "";

    /// <summary>Seconds between passes.</summary>
    /// <value>The default value is 300.</value>
    [Range(5, 86_400)]
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>Shadow mode: decide and simulate, send nothing.</summary>
    public bool DryRun { get; set; }
}

/// <summary>Every job's schedule (Quartz cron expressions, UTC).</summary>
public sealed class ScheduleOptions
{
    /// <summary>When to retrain.</summary>
    /// <value>The default value is every 10 minutes (<c>0 0/10 * * * ?</c>); a daily market would use <c>0 30 0 * * ?</c>.</value>
    [Required]
    public string Retrain { get; set; } = "0 0/10 * * * ?";

    /// <summary>Whether to retrain once when the node starts too (so a new user sees the cycle at once).</summary>
    /// <value>The default value is true.</value>
    public bool RetrainOnStart { get; set; } = true;

    /// <summary>When to look for challengers to evaluate (a retrain also starts an evaluation at once).</summary>
    /// <value>The default value is every minute.</value>
    [Required]
    public string Evaluate { get; set; } = "0 * * * * ?";

    /// <summary>When to look for winners to promote (an evaluation that finds one also starts a promotion at once).</summary>
    /// <value>The default value is every minute.</value>
    [Required]
    public string Promote { get; set; } = "0 * * * * ?";
}
