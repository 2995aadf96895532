namespace Predictive.Service.Dashboard;

/// <summary>Where the dashboard finds its data sources, bound from <c>Predictive:Dashboard</c> (see docs/dashboard.md).</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Predictive:Dashboard";

    /// <summary>
    /// Comparison results: each entry is a <c>results.json</c> file written by <c>predictive compare</c>, or a folder searched
    /// (three levels deep) for such files. A relative path is taken from the content root. Empty: the Comparisons page says
    /// that no data source is configured.
    /// </summary>
    public IList<string> Comparisons { get; } = [];

    /// <summary>
    /// The operator's SQLite database (<c>operator-data/operator.db</c> by default for the operator), read through the
    /// operator's own stores for the Jobs page (and the Vaults page, for its keeper jobs). Unset, and no
    /// <see cref="OperatorPostgres"/>: the Jobs page says that no data source is configured.
    /// </summary>
    public string? OperatorDatabase { get; set; }

    /// <summary>
    /// A clustered operator's PostgreSQL database (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>, best given through
    /// the environment as <c>Predictive__Dashboard__OperatorPostgres</c>), read through the operator's own stores for the Jobs
    /// and Vaults pages instead of <see cref="OperatorDatabase"/>. At most one of the two is set.
    /// </summary>
    public string? OperatorPostgres { get; set; }

    /// <summary>
    /// A keeper's own store (keeper.json's <c>store</c>, <c>keeper.db</c> by default), read through the keeper store for the
    /// Vaults page. Unset, and no operator database: the Vaults page says that no data source is configured.
    /// </summary>
    public string? KeeperStore { get; set; }

    /// <summary>How many of the latest passes the Vaults page and <c>GET /v1/vaults</c> read from each keeper store.</summary>
    /// <value>The default value is 500.</value>
    public int VaultPasses { get; set; } = 500;

    /// <summary>How many passes in a row a vault may refuse to trade for one reason before <c>PredictiveVaultRefusing</c> fires.</summary>
    /// <value>The default value is 3.</value>
    public int RefusalStreak { get; set; } = 3;

    /// <summary>How many runs the Jobs page and <c>GET /v1/jobs</c> show, newest first.</summary>
    /// <value>The default value is 50.</value>
    public int JobRuns { get; set; } = 50;

    /// <summary>
    /// How late a trigger of the operator's schedule may be before the Jobs page and <c>PredictiveJobMisfired</c> call it
    /// misfired (Quartz's own default misfire threshold).
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the readiness checks behind the alerts run in the background.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan ReadinessInterval { get; set; } = TimeSpan.FromSeconds(15);
}
