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
    /// The operator's database (<c>operator-data/operator.db</c> by default for the operator), opened read-only for the
    /// Jobs page. Unset: the Jobs page says that no data source is configured.
    /// </summary>
    public string? OperatorDatabase { get; set; }

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
