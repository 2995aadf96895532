using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Predictive.Operator.Storage;

namespace Predictive.Cli.Commands;

/// <summary><c>predictive operator runs [--json]</c>: the operator's run history, newest first.</summary>
public static class OperatorCommands
{
    /// <summary>Builds the <c>operator</c> command group.</summary>
    public static Command Create(CliContext context)
    {
        var database = new Option<string>("--db") { Description = "The operator's SQLite database.", DefaultValueFactory = _ => Path.Combine("operator-data", "operator.db") };
        var limit = new Option<int>("--limit") { Description = "How many runs, newest first.", DefaultValueFactory = _ => 50 };
        var job = new Option<string?>("--job") { Description = "Only this job (retrain, evaluate, promote, keeper-<vault>)." };
        var json = new Option<bool>("--json") { Description = "Print the runs as a JSON array." };
        var postgres = new Option<string?>("--postgres") { Description = "A clustered operator's PostgreSQL connection string (instead of --db); PREDICTIVE_OPERATOR_POSTGRES also sets it." };
        var runs = new Command("runs", "List the operator's job runs: job, trigger, node, times, outcome, model SHA-256, metrics, error.") { database, postgres, limit, job, json };
        runs.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(limit) < 1)
            {
                throw new CliException("--limit must be at least 1.");
            }

            using var store = Open(parse.GetValue(postgres) ?? Environment.GetEnvironmentVariable("PREDICTIVE_OPERATOR_POSTGRES"), parse.GetValue(database)!);
            var list = await new SqlRunHistory(store.Database).ListAsync(parse.GetValue(limit), parse.GetValue(job), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, list.Select(RunJson.From).ToArray()).ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"{"id",5} {"job",-16} {"trigger",-22} {"node",-12} {"started (UTC)",-20} {"latency",8} {"took",7} {"outcome",-11} message").ConfigureAwait(false);
            foreach (var r in list)
            {
                var took = r.Ended is { } e ? Inv($"{(e - r.Started).TotalSeconds:F1}s") : "-";
                var latency = r.StartLatency is { } l ? Inv($"{l.TotalMilliseconds:F0}ms") : "-";
                var message = r.Error ?? r.Message ?? "";
                await context.Out.WriteLineAsync(Inv($"{r.Id,5} {r.Job,-16} {Cut(r.Trigger, 22),-22} {Cut(r.Node, 12),-12} {r.Started.UtcDateTime,-20:yyyy-MM-dd HH:mm:ss} {latency,8} {took,7} {r.Outcome + (r.Recovering ? "*" : ""),-11} {message}")).ConfigureAwait(false);
            }

            if (list.Any(r => r.Recovering))
            {
                await context.Out.WriteLineAsync("* a recovery run: the job was cut off (node killed or stopped) and ran again.").ConfigureAwait(false);
            }

            return 0;
        });
        return new Command("operator", "The scheduled operator (retrain, evaluate, promote, keeper jobs).") { runs };
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The stable JSON of one run.</summary>
    public sealed record RunJson(
        [property: JsonPropertyName("id")] long Id,
        [property: JsonPropertyName("job")] string Job,
        [property: JsonPropertyName("trigger")] string Trigger,
        [property: JsonPropertyName("node")] string Node,
        [property: JsonPropertyName("recovering")] bool Recovering,
        [property: JsonPropertyName("scheduled")] DateTimeOffset? Scheduled,
        [property: JsonPropertyName("started")] DateTimeOffset Started,
        [property: JsonPropertyName("ended")] DateTimeOffset? Ended,
        [property: JsonPropertyName("startLatencyMs")] double? StartLatencyMs,
        [property: JsonPropertyName("outcome")] string Outcome,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("modelSha256")] string? ModelSha256,
        [property: JsonPropertyName("metrics")] System.Text.Json.Nodes.JsonNode? Metrics,
        [property: JsonPropertyName("error")] string? Error)
    {
        /// <summary>From a stored run.</summary>
        public static RunJson From(RunRecord r)
        {
            ArgumentNullException.ThrowIfNull(r);
            return new(r.Id, r.Job, r.Trigger, r.Node, r.Recovering, r.Scheduled, r.Started, r.Ended, r.StartLatency?.TotalMilliseconds, r.Outcome.ToString(), r.Message, r.ModelSha256, r.MetricsJson is { } m ? System.Text.Json.Nodes.JsonNode.Parse(m) : null, r.Error);
        }
    }

    // The SQLite file must exist (a typo must not create an empty database); a PostgreSQL database is the cluster's.
    private static DatabaseHandle Open(string? postgres, string sqlitePath)
    {
        if (postgres is not null)
        {
            try
            {
                return new DatabaseHandle(new PostgresOperatorDatabase(postgres));
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or ArgumentException)
            {
                throw new CliException($"--postgres: cannot open the operator's PostgreSQL database: {e.Message}");
            }
        }

        var path = Path.GetFullPath(sqlitePath);
        return File.Exists(path)
            ? new DatabaseHandle(new SqliteOperatorDatabase($"Data Source={path}"))
            : throw new CliException($"no operator database at {path}; start the operator (dotnet run --project src/Predictive.Operator) or pass --db, or --postgres for a cluster.");
    }

    private sealed class DatabaseHandle(OperatorDatabase database) : IDisposable
    {
        public OperatorDatabase Database => database;

        public void Dispose() => (database as IDisposable)?.Dispose();
    }
}
