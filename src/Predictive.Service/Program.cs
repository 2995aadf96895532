using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Predictive.Onnx.Registry;
using Predictive.Service.Api;
using Predictive.Service.Auth;
using Predictive.Service.Dashboard;
using Predictive.Service.Hosting;
using Predictive.Service.Options;
using Predictive.Service.Telemetry;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<ServiceOptions>()
    .BindConfiguration(ServiceOptions.Section)
    .ValidateDataAnnotations()
    .ValidateOnStart();

// Zero configuration: listen on the loopback port from the options unless URLs were given (--urls, ASPNETCORE_URLS).
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    var listen = builder.Configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions();
    builder.WebHost.UseUrls($"http://{listen.ListenAddress}:{listen.Port}");
}

builder.Services.AddSingleton(TimeProvider.System);
var governance = builder.Configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>()?.Governance;
if (governance is not null)
{
    // Governed mode: the on-chain registry approves what loads; polled in the background, never per request.
    builder.Services.AddSingleton<ChainModelApproval>();
    builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ServiceOptions>>().Value.Governance!);
    builder.Services.AddHostedService<GovernancePoller>();
}

builder.Services.AddSingleton(sp =>
{
    var settings = sp.GetRequiredService<IOptions<ServiceOptions>>().Value;
    var environment = sp.GetRequiredService<IWebHostEnvironment>();
    var directory = ModelsDirectoryResolver.Resolve(settings.ModelsDirectory, environment.ContentRootPath, AppContext.BaseDirectory);

    // An ungoverned activation (admin API, `predictive models activate/rollback`, the operator) is persisted in the
    // models directory and outranks the configured default, so it survives a restart. Governed mode ignores it: the
    // on-chain registry's activate decides.
    var approval = sp.GetService<ChainModelApproval>();
    var persisted = approval is null ? ActiveModelFile.ActiveKey(directory) : null;
    return new ModelRegistry(directory, sp.GetRequiredService<TimeProvider>(), persisted ?? settings.DefaultModel, approval);
});
builder.Services.AddSingleton<RegistryReloader>();
builder.Services.AddHostedService<RegistryStartup>();
builder.Services.AddSingleton<ServiceMetrics>();
builder.Services.AddSingleton<TargetsEndpoint>();
builder.Services.AddDashboard();

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJsonContext.Default));
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
var health = builder.Services.AddHealthChecks().AddCheck<ModelsReadyCheck>("models", tags: ["ready"]);
if (governance is not null)
{
    health.AddCheck<GovernanceReadyCheck>(GovernanceReadyCheck.Name, tags: ["ready"]);
}

builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(ServiceMetrics.MeterName)

    // The runtime's own meter: GC collections and pause time, thread pool queue and threads, for latency diagnosis.
    .AddMeter("System.Runtime")
    .AddAspNetCoreInstrumentation()
    .AddPrometheusExporter());

var app = builder.Build();

// Create the instruments now: the registry gauges (models loaded, refused, active) must be scraped before any request
// has needed ServiceMetrics, or an alert on them sees no series.
app.Services.GetRequiredService<ServiceMetrics>();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapPrometheusScrapingEndpoint();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });

var v1 = app.MapGroup("/v1");
v1.MapPost("/targets", (HttpContext http, TargetsEndpoint endpoint, CancellationToken ct) => endpoint.HandleAsync(http, ct))
    .WithName("PostTargets")
    .WithSummary("Target weights for one or many portfolios.")
    .WithDescription("Each portfolio sends features [assets][features] in the model's feature order, or prices from which the service builds them. One ONNX Runtime call per model and asset count.")
    .Accepts<TargetsRequest>("application/json")
    .Produces<TargetsResponse>()
    .ProducesValidationProblem()
    .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
    .ProducesProblem(StatusCodes.Status500InternalServerError)
    .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
v1.MapGet("/models", ModelsEndpoints.List)
    .WithName("GetModels")
    .WithSummary("Loaded and refused models, the default, and each portfolio's active model.");

var admin = v1.MapGroup("/models").AddEndpointFilter<AdminKeyFilter>();
admin.MapPost("/{name}/{version}/activate", ModelsEndpoints.Activate)
    .WithName("ActivateModel")
    .WithSummary("Admin: make a loaded model the default (persisted in the models directory's active.json, so it survives a restart), or the active model of ?portfolio=<id>. Requires the admin key.")
    .ProducesProblem(StatusCodes.Status401Unauthorized)
    .ProducesProblem(StatusCodes.Status403Forbidden)
    .ProducesProblem(StatusCodes.Status404NotFound);
admin.MapPost("/reload", ModelsEndpoints.Reload)
    .WithName("ReloadModels")
    .WithSummary("Admin: rescan the models directory. Refused models never replace loaded ones. Requires the admin key.")
    .ProducesProblem(StatusCodes.Status401Unauthorized)
    .ProducesProblem(StatusCodes.Status403Forbidden);

app.MapDashboard();

app.Run();

/// <summary>The service's entry point (public so that tests can start it with WebApplicationFactory).</summary>
public partial class Program;
