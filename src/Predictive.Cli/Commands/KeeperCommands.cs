using System.CommandLine;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Pass;
using Predictive.Keeper.Running;
using Predictive.Keeper.Store;
using Predictive.Keeper.Telemetry;
using Predictive.Operator.Storage;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive keeper run --config keeper.json</c>: the long-running keeper over the configured vaults (JSON-lines log,
/// stops cleanly on SIGTERM/Ctrl-C); <c>predictive keeper log</c>: the decision log.
/// </summary>
public static class KeeperCommands
{
    /// <summary>Exit code when a vault's lease is held by another keeper and keeper.json says exit.</summary>
    public const int LeaseHeld = 4;

    /// <summary>The environment variable that can hold <c>keeper run --postgres</c>'s connection string (kept off the command line).</summary>
    public const string PostgresVariable = "PREDICTIVE_KEEPER_POSTGRES";

    /// <summary>Builds the command group.</summary>
    public static Command Create(CliContext context)
    {
        var keeper = new Command("keeper", "Keep vaults on the service's targets: the long-running keeper and its decision log.");
        keeper.Subcommands.Add(Run(context));
        keeper.Subcommands.Add(Log(context));
        keeper.Subcommands.Add(KeeperBenchCommand.Create(context));
        return keeper;
    }

    private static Command Run(CliContext context)
    {
        var config = new Option<string>("--config") { Description = "keeper.json: key source, fee ceiling, store, service and vaults (see docs/keeper.md).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Shadow mode: decide and simulate every pass and record it; send nothing." };
        var rounds = new Option<int?>("--rounds") { Description = "Stop after this many passes per vault (default: run until SIGTERM or Ctrl-C)." };
        var postgres = new Option<string?>("--postgres")
        {
            Description = $"An operator cluster's PostgreSQL connection string (or {PostgresVariable}): leases, decision log, journal and state in its database, shared with the operator's keeper jobs.",
        };
        var cmd = new Command("run", "Run the keeper over the configured vaults until stopped; one JSON line per event on stdout.") { config, dryRun, rounds, postgres };
        cmd.SetAction(async (parse, ct) =>
        {
            var settings = LoadSettings(parse.GetValue(config)!);
            var key = Guard(() => KeySource.Load(settings.Key));
            // The lease owner: "keeper:" marks a standalone keeper, whose lease a cluster node never takes over.
            var owner = string.Create(CultureInfo.InvariantCulture, $"keeper:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");
            using var cluster = ClusterDatabase(parse.GetValue(postgres) ?? Environment.GetEnvironmentVariable(PostgresVariable));
            IKeeperStore store = cluster is null
                ? await SqliteKeeperStore.OpenAsync(settings.StorePath, ct).ConfigureAwait(false)
                : new SqlKeeperStore(cluster);
            Func<VaultSettings, VaultStateStores>? stateStores = cluster is null ? null : v => FencedVaultStores.For(cluster, KeeperRunner.LeaseKey(v), owner, context.Time);
            using var http = new HttpClient { BaseAddress = settings.ServiceUrl!, Timeout = TimeSpan.FromSeconds(60) };
            using var metrics = new KeeperMetrics(timeProvider: context.Time);
            using var exporter = settings.MetricsPort > 0
                ? Sdk.CreateMeterProviderBuilder().AddMeter(KeeperMetrics.MeterName)
                    .AddPrometheusHttpListener(o => { o.Host = "localhost"; o.Port = settings.MetricsPort; }).Build()
                : null;
            using var runner = new KeeperRunner(settings, store, key, http, new JsonLineLog(context.Out, context.Time), metrics, owner, context.Time, stateStores);
            try
            {
                var rounds1 = parse.GetValue(rounds);
                if (rounds1 is < 1)
                {
                    throw new CliException($"--rounds must be at least 1 (got {rounds1}).");
                }

                await runner.RunAsync(parse.GetValue(dryRun), rounds1, ct).ConfigureAwait(false);
                return 0;
            }
            catch (LeaseHeldException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return LeaseHeld;
            }
            catch (KeeperConfigException e)
            {
                throw new CliException(e.Message);
            }
        });
        return cmd;
    }

    private static Command Log(CliContext context)
    {
        var config = new Option<string?>("--config") { Description = "keeper.json (its store holds the log)." };
        var store = new Option<string?>("--store") { Description = "The keeper store file, instead of --config." };
        var vault = new Option<string?>("--vault") { Description = "Only this vault (its name or address)." };
        var limit = new Option<int>("--limit") { Description = "The latest this many passes.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "One JSON record per line (every field of the decision log)." };
        var cmd = new Command("log", "Show the decision log: one record per keeper pass.") { config, store, vault, limit, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = (parse.GetValue(config), parse.GetValue(store)) switch
            {
                ({ } c, null) => LoadSettings(c).StorePath,
                (null, { } s) => Path.GetFullPath(s),
                (null, null) => throw new CliException("Give --config keeper.json or --store <file>."),
                _ => throw new CliException("Give either --config or --store, not both."),
            };
            if (!File.Exists(path))
            {
                throw new CliException($"keeper store '{path}' does not exist; no keeper has run with it yet.");
            }

            if (parse.GetValue(limit) < 1)
            {
                throw new CliException($"--limit must be at least 1 (got {parse.GetValue(limit)}).");
            }

            var records = await (await SqliteKeeperStore.OpenAsync(path, ct).ConfigureAwait(false)).ReadDecisionsAsync(parse.GetValue(vault), parse.GetValue(limit), ct).ConfigureAwait(false);
            foreach (var r in records)
            {
                if (parse.GetValue(json))
                {
                    await CliJson.WriteAsync(context.Out, r).ConfigureAwait(false);
                    continue;
                }

                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Time:yyyy-MM-dd'T'HH:mm:ss'Z'} {r.Vault} slot {r.Slot ?? "-"}{(r.DryRun ? " (dry run)" : string.Empty)}: {r.Outcome} ({r.Reason}) model {r.Model ?? "-"} {Short(r.ModelSha256)}, {r.Swaps.Count} swap(s), gas {r.GasUsed} — {r.Explanation}")).ConfigureAwait(false);
            }

            if (records.Count == 0 && !parse.GetValue(json))
            {
                await context.Out.WriteLineAsync("no passes recorded" + (parse.GetValue(vault) is { } v ? $" for vault {v}." : ".")).ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>The operator cluster's database for <paramref name="connectionString"/> (its tables migrated), or null for none.</summary>
    private static PostgresOperatorDatabase? ClusterDatabase(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        try
        {
            return new PostgresOperatorDatabase(connectionString);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or ArgumentException)
        {
            throw new CliException($"--postgres: cannot open the operator's database: {e.Message}");
        }
    }

    private static string Short(string? sha) => sha is { Length: > 12 } ? sha[..12] : sha ?? string.Empty;

    private static KeeperSettings LoadSettings(string path) => Guard(() => KeeperConfigLoader.Load(path));

    private static T Guard<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (KeeperConfigException e)
        {
            throw new CliException(e.Message);
        }
    }
}
