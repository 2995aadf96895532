using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Predictive.Operator.Data;
using Predictive.Operator.Governance;
using Predictive.Operator.History;
using Predictive.Operator.Keeper;
using Predictive.Operator.Lifecycle;
using Predictive.Operator.Options;
using Predictive.Operator.Storage;
using Predictive.Operator.Telemetry;
using Quartz;

namespace Predictive.Operator.Hosting;

/// <summary>
/// Builds the operator: the generic host, validated options, OpenTelemetry metrics, and Quartz with a persistent
/// store, the lifecycle jobs and one keeper job per vault.
/// </summary>
public static class OperatorHost
{
    /// <summary>The environment variable that names the configuration file (default: <c>operator.json</c> in the working directory, if present).</summary>
    public const string ConfigVariable = "PREDICTIVE_OPERATOR_CONFIG";

    /// <summary>Builds the host from <paramref name="args"/>, <c>operator.json</c> and the environment (later sources win).</summary>
    public static IHost Build(string[] args, IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var file = Environment.GetEnvironmentVariable(ConfigVariable) ?? builder.Configuration["config"] ?? "operator.json";
        builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: Environment.GetEnvironmentVariable(ConfigVariable) is null && builder.Configuration["config"] is null, reloadOnChange: false);

        // The file must not outrank the environment or the command line: add them again after it.
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var settings = builder.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
        Resolve(settings);
        builder.Services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).PostConfigure(Resolve).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.ShutdownTimeoutSeconds));

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OperatorDatabase>(_ => settings.Store.Provider == "postgres"
            ? new PostgresOperatorDatabase(settings.Store.ConnectionString!)
            : new SqliteOperatorDatabase(settings.Store.ConnectionString!));
        services.AddSingleton<IRunHistory, SqlRunHistory>();
        services.AddSingleton<ITrialLedger, SqlTrialLedger>();
        services.AddSingleton<IChallengerStore, SqlChallengerStore>();
        services.AddSingleton<IKeeperStoreFactory, OperatorKeeperStoreFactory>();
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton<MarketDataSource>();
        services.AddSingleton<RunHistoryListener>();
        services.AddHttpClient(MarketDataSource.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(ServiceAdminActivator.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(settings.Service.TimeoutSeconds))
            .AddStandardResilienceHandler();
        // Exactly one promotion path and the champion from the authority that decides what is served.
        if (settings.Governance.Enabled)
        {
            services.AddSingleton<IModelPromoter, GovernanceProposer>();
            services.AddSingleton<IChampionSource, RegistryChampion>();
        }
        else
        {
            services.AddSingleton<IChampionSource, ModelsDirectoryChampion>();
            if (settings.Service.Url is null)
            {
                services.AddSingleton<IModelPromoter, ModelsDirectoryActivator>();
            }
            else
            {
                services.AddSingleton<IModelPromoter, ServiceAdminActivator>();
            }
        }

        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(OperatorMetrics.MeterName);
            if (settings.MetricsPort > 0)
            {
                m.AddPrometheusHttpListener(o =>
                {
                    o.Host = "localhost";
                    o.Port = settings.MetricsPort;
                });
            }
        });

        // Runs left "running" by a node that died are closed before the scheduler starts (and recovers them).
        services.AddHostedService<InterruptedRunsSweeper>();
        services.AddQuartz(q => Schedule(q, settings));
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });
        return builder.Build();
    }

    /// <summary>Makes the folders absolute (relative to the working directory) and fills SQLite's default connection string.</summary>
    public static void Resolve(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.WorkingDirectory = Path.GetFullPath(options.WorkingDirectory);
        options.ModelsDirectory = Path.GetFullPath(options.ModelsDirectory);
        if (!string.IsNullOrWhiteSpace(options.Keeper.Config))
        {
            options.Keeper.Config = Path.GetFullPath(options.Keeper.Config);
        }

        if (options.Store.Provider == "sqlite")
        {
            options.Store.ConnectionString ??= $"Data Source={Path.Combine(options.WorkingDirectory, "operator.db")}";
        }
    }

    private static void Schedule(IQuartzBuilder q, OperatorOptions o)
    {
        q.ConfigureScheduler(s =>
        {
            s.InstanceName = "predictive-operator";
            s.InstanceId = o.NodeId;

            // On SIGTERM running jobs see their token cancelled; a job that stops by throwing is handed back as a
            // recovery trigger and runs again (context.Recovering) when a node next starts.
            s.ShutdownJobInterruption = ShutdownJobInterruption.Always;
        });
        q.UsePersistentStore(s =>
        {
            if (o.Store.Provider == "postgres")
            {
                // Every node runs the same jobs from the shared tables; a node that stops checking in for
                // CheckinInterval + CheckinMisfireThreshold is declared dead and its recoverable jobs run elsewhere.
                s.UsePostgres(o.Store.ConnectionString!);
                s.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(o.Store.CheckinIntervalSeconds);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(o.Store.CheckinMisfireThresholdSeconds);
                });
            }
            else
            {
                s.UseSqlite(o.Store.ConnectionString!);
            }

            s.UseSystemTextJsonSerializer();
            s.ProvisionSchema();
            s.ConfigureStore(c => c.StoreJobDataAsStrings = true);
        });
        q.AddJobListener<RunHistoryListener>();

        // Lifecycle jobs: durable (they are also started by each other), recoverable, each on its cron schedule in UTC.
        q.AddJob<RetrainJob>(j => j.WithIdentity(JobKeys.Retrain).StoreDurably().RequestRecovery().WithDescription("Train a challenger on fresh data."));
        q.AddTrigger(t => t.ForJob(JobKeys.Retrain).WithIdentity("retrain-cron", JobKeys.LifecycleGroup)
            .WithCronSchedule(o.Schedules.Retrain, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        if (o.Schedules.RetrainOnStart)
        {
            q.AddTrigger(t => t.ForJob(JobKeys.Retrain).WithIdentity("retrain-on-start", JobKeys.LifecycleGroup).StartNow()
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)));
        }

        q.AddJob<EvaluateJob>(j => j.WithIdentity(JobKeys.Evaluate).StoreDurably().RequestRecovery().WithDescription("Challenger against champion."));
        q.AddTrigger(t => t.ForJob(JobKeys.Evaluate).WithIdentity("evaluate-cron", JobKeys.LifecycleGroup)
            .WithCronSchedule(o.Schedules.Evaluate, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        q.AddJob<PromoteJob>(j => j.WithIdentity(JobKeys.Promote).StoreDurably().RequestRecovery().WithDescription("Promote an approved challenger."));
        q.AddTrigger(t => t.ForJob(JobKeys.Promote).WithIdentity("promote-cron", JobKeys.LifecycleGroup)
            .WithCronSchedule(o.Schedules.Promote, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));

        foreach (var vault in o.Keeper.Vaults)
        {
            var key = JobKeys.Keeper(vault.Name);
            q.AddJob<KeeperJob>(j => j.WithIdentity(key).StoreDurably().RequestRecovery().UsingJobData(KeeperJob.VaultKey, vault.Name).WithDescription($"Keeper pass for vault {vault.Name}."));
            q.AddTrigger(t => t.ForJob(key).WithIdentity($"{key.Name}-interval", JobKeys.KeeperGroup).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(vault.IntervalSeconds)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        }
    }
}

/// <summary>Marks this node's unfinished runs as interrupted when it starts (they belonged to a process that died).</summary>
internal sealed class InterruptedRunsSweeper(IRunHistory history, IOptions<OperatorOptions> options, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => history.MarkInterruptedAsync(options.Value.NodeId, time.GetUtcNow(), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
