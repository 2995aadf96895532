using System.Globalization;
using System.Text;
using Npgsql;
using Predictive.Onnx.Registry;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Cluster;

/// <summary>
/// Operator nodes as child processes on one PostgreSQL database: each with its own node id and working directory, all
/// sharing the models directory (as a cluster shares a network folder). Check-ins every 2 s with a 6 s threshold, so a
/// dead node is noticed within seconds.
/// </summary>
internal sealed class ClusterNodes : IDisposable
{
    public const int CheckinSeconds = 2;
    public const int ThresholdSeconds = 6;

    private readonly List<OperatorProcess> _nodes = [];

    private ClusterNodes(TempFolder folder, string connectionString)
    {
        Folder = folder;
        ConnectionString = connectionString;
        Database = new PostgresOperatorDatabase(connectionString);
        History = new SqlRunHistory(Database);
    }

    public TempFolder Folder { get; }

    public string ConnectionString { get; }

    public PostgresOperatorDatabase Database { get; }

    public IRunHistory History { get; }

    public StringBuilder Output { get; } = new();

    public string Models => Folder.Combine("models");

    public static async Task<ClusterNodes> CreateAsync() => new(new TempFolder(), await PostgresServer.CreateDatabaseAsync());

    /// <summary>Starts node <paramref name="node"/> with the cluster's store and <paramref name="settings"/> on top.</summary>
    public OperatorProcess Start(string node, IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Operator__NodeId"] = node,
            ["Operator__WorkingDirectory"] = Folder.Combine(node),
            ["Operator__ModelsDirectory"] = Models,
            ["Operator__Store__Provider"] = "postgres",
            ["Operator__Store__ConnectionString"] = ConnectionString,
            ["Operator__Store__CheckinIntervalSeconds"] = CheckinSeconds.ToString(CultureInfo.InvariantCulture),
            ["Operator__Store__CheckinMisfireThresholdSeconds"] = ThresholdSeconds.ToString(CultureInfo.InvariantCulture),
            ["Operator__Retrain__ValidationSize"] = "120",
            ["Operator__Schedules__RetrainOnStart"] = "false",
            ["Operator__Schedules__Retrain"] = OperatorHarness.Never,
            ["Operator__Schedules__Evaluate"] = OperatorHarness.Never,
            ["Operator__Schedules__Promote"] = OperatorHarness.Never,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var process = OperatorProcess.Start(Folder.Combine(node), all, Output);
        _nodes.Add(process);
        return process;
    }

    /// <summary>The time of <paramref name="node"/>'s last check-in, from Quartz's own table; null before its first.</summary>
    public async Task<DateTimeOffset?> LastCheckinAsync(string node)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = OperatorDatabase.Command(connection, "SELECT last_checkin_time FROM qrtz_scheduler_state WHERE instance_name = @p0;", node);
        var ticks = await command.ExecuteScalarAsync();
        return ticks is long t ? new DateTimeOffset(t, TimeSpan.Zero) : null; // Quartz.NET stores UTC ticks.
    }

    /// <summary>The last 6,000 characters the nodes printed, for failure messages.</summary>
    public string OutputTail()
    {
        lock (Output)
        {
            var log = Output.ToString();
            return log[Math.Max(0, log.Length - 6000)..];
        }
    }

    public Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => OperatorProcess.WaitAsync(condition, timeout, what, Output);

    /// <summary>Version folders of the retrain's model name: published ones, and staging ones (names starting with the staging prefix).</summary>
    public (string[] Published, string[] Staging) Versions()
    {
        var name = Path.Combine(Models, "operator-allocator");
        var folders = Directory.Exists(name) ? Directory.GetDirectories(name) : [];
        return (folders.Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray(), folders.Where(f => Path.GetFileName(f).StartsWith(ModelVersionWriter.StagingPrefix, StringComparison.Ordinal)).ToArray());
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        Database.Dispose();
        NpgsqlConnection.ClearAllPools();
        Folder.Dispose();
    }
}
