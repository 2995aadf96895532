using System.Text;
using Predictive.Onnx.Registry;
using Predictive.Service.Api;
using Predictive.Service.Dashboard.Alerts;
using Predictive.Service.Dashboard.Comparisons;
using Predictive.Service.Dashboard.Governance;
using Predictive.Service.Dashboard.Jobs;
using Predictive.Service.Dashboard.Models;
using Predictive.Service.Dashboard.Pages;
using Predictive.Service.Dashboard.Sections;
using Predictive.Service.Dashboard.Stores;
using Predictive.Service.Dashboard.Vaults;

namespace Predictive.Service.Dashboard;

/// <summary>
/// The dashboard at <c>/</c> (server-rendered pages, read-only) and the JSON API behind each of its numbers:
/// <c>/v1/models/{name}/{version}</c>, <c>/v1/governance</c>, <c>/v1/comparisons</c>, <c>/v1/comparisons/{id}</c>, <c>/v1/jobs</c>, <c>/v1/vaults</c>, <c>/v1/alerts</c>.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Registers the data sources, the sections and the readiness monitor.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.ReadinessInterval >= TimeSpan.FromSeconds(1), $"{DashboardOptions.Section}:{nameof(DashboardOptions.ReadinessInterval)} must be at least 1 second.")
            .Validate(o => o.MisfireThreshold > TimeSpan.Zero, $"{DashboardOptions.Section}:{nameof(DashboardOptions.MisfireThreshold)} must be positive.")
            .Validate(o => string.IsNullOrWhiteSpace(o.OperatorDatabase) || string.IsNullOrWhiteSpace(o.OperatorPostgres), $"{DashboardOptions.Section}: set {nameof(DashboardOptions.OperatorDatabase)} (SQLite) or {nameof(DashboardOptions.OperatorPostgres)} (PostgreSQL), not both.")
            .Validate(o => o.VaultPasses >= 1, $"{DashboardOptions.Section}:{nameof(DashboardOptions.VaultPasses)} must be at least 1.")
            .Validate(o => o.RefusalStreak >= 1, $"{DashboardOptions.Section}:{nameof(DashboardOptions.RefusalStreak)} must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<DashboardStores>();
        services.AddSingleton<ComparisonSource>();
        services.AddSingleton<VaultsSource>();
        services.AddSingleton<KeeperAlerts>();
        services.AddSingleton<ReadinessMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadinessMonitor>());
        services.AddSingleton<GovernanceView>();
        services.AddSingleton<IDashboardSection, ModelsSection>();
        services.AddSingleton<IDashboardSection, ComparisonsSection>();
        services.AddSingleton<JobRunsSource>();
        services.AddSingleton<IDashboardSection, JobsSection>();
        services.AddSingleton<IDashboardSection, VaultsSection>();
        return services;
    }

    /// <summary>Maps the pages, the static assets and the JSON endpoints.</summary>
    public static void MapDashboard(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/models/{name}/{version}", (string name, string version, ModelRegistry registry) =>
                ModelCard.Of(registry.Current, $"{name}/{version}") is { } card ? Results.Ok(card) : Problems.Status(StatusCodes.Status404NotFound, "Model not loaded.", $"'{name}/{version}' is not a loaded model."))
            .WithName("GetModelCard")
            .WithSummary("A loaded model's card: SHA-256, training range, validation metrics, seed, producer and feature spec, from its verified ONNX file.")
            .Produces<ModelCard>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/governance", (GovernanceView view) => TypedResults.Ok(view.Describe()))
            .WithName("GetGovernance")
            .WithSummary("Governed mode: the on-chain registry's versions and decisions (approvals, activations, revocations) as the service last read them, and the models refused as not approved on chain. Ungoverned: enabled false.");
        v1.MapGet("/comparisons", (ComparisonSource source) => TypedResults.Ok(source.List()))
            .WithName("GetComparisons")
            .WithSummary("Every results.json in the configured locations (Predictive:Dashboard:Comparisons), with its title or why it cannot be read.");
        v1.MapGet("/comparisons/{id}", (string id, ComparisonSource source) => source.Find(id) switch
            {
                null => Problems.Status(StatusCodes.Status404NotFound, "No such comparison.", $"No configured results.json has the id '{id}'."),
                ({ } results, _) => Results.Ok(results),
                (_, var error) => Problems.Status(StatusCodes.Status422UnprocessableEntity, "The results.json cannot be read.", error!),
            })
            .WithName("GetComparison")
            .WithSummary("One results.json as a leaderboard: numeric columns, rows, and which rows are on the cost-versus-tracking-error frontier.")
            .Produces<ComparisonResults>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        v1.MapGet("/jobs", (JobRunsSource source, CancellationToken ct) => source.ReadAsync(ct))
            .WithName("GetJobs")
            .WithSummary("The operator's schedule (Quartz's triggers: next and previous fire times, state, misfired or not), the jobs running now and on which node, which node ran what, and the latest runs, newest first; from its database (Predictive:Dashboard:OperatorDatabase), read-only.");
        v1.MapGet("/vaults", (VaultsSource source, CancellationToken ct) => source.ReadAsync(ct))
            .WithName("GetVaults")
            .WithSummary("Every vault in the keepers' decision logs (Predictive:Dashboard:KeeperStore, and the operator's database): paused or not, oracle freshness, passes refused in a row, target against actual weights with the drift at each pass, the latest decisions with every guard's result, recent trades with gas and cost, and the vault leases; read through the keeper store, read-only.");
        v1.MapGet("/alerts", (ReadinessMonitor monitor, CancellationToken ct) => monitor.EvaluateAsync(ct))
            .WithName("GetAlerts")
            .WithSummary("The alerts of docs/alerts/predictive.rules.yml whose condition holds now.");

        MapAsset(app, DashboardAssets.Style, DashboardAssets.Css, "text/css; charset=utf-8");
        MapAsset(app, DashboardAssets.Script, DashboardAssets.Js, "text/javascript; charset=utf-8");
        MapAsset(app, DashboardAssets.Icon, DashboardAssets.Svg, "image/svg+xml");

        app.MapGet("/", (HttpContext http, IEnumerable<IDashboardSection> sections, ReadinessMonitor monitor, CancellationToken ct) =>
                PageAsync(http, sections, monitor, null, _ => Task.FromResult<SectionPage?>(Overview(sections)), ct))
            .ExcludeFromDescription();
        foreach (var section in app.Services.GetServices<IDashboardSection>())
        {
            var slug = section.Slug;
            app.MapGet("/" + slug, (HttpContext http, IEnumerable<IDashboardSection> sections, ReadinessMonitor monitor, CancellationToken ct) =>
                    PageAsync(http, sections, monitor, slug, c => section.RenderAsync(null, c), ct))
                .ExcludeFromDescription();
            app.MapGet("/" + slug + "/{**item}", (string item, HttpContext http, IEnumerable<IDashboardSection> sections, ReadinessMonitor monitor, CancellationToken ct) =>
                    PageAsync(http, sections, monitor, slug, c => section.RenderAsync(item, c), ct))
                .ExcludeFromDescription();
        }
    }

    private static async Task<IResult> PageAsync(HttpContext http, IEnumerable<IDashboardSection> sections, ReadinessMonitor monitor, string? slug, Func<CancellationToken, Task<SectionPage?>> render, CancellationToken ct)
    {
        var page = await render(ct);
        var alerts = await monitor.EvaluateAsync(ct);
        page ??= new SectionPage("Not found", "<p>There is no such page. The navigation above lists what the dashboard shows.</p>");
        Secure(http);
        http.Response.Headers.CacheControl = "no-store";
        var html = Layout.Render(page.Title, sections, slug, alerts, page.Body);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, page.Title == "Not found" ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    private static SectionPage Overview(IEnumerable<IDashboardSection> sections)
    {
        var html = new StringBuilder("<p>What the service serves and what the operators' tools left behind. Pages only read; actions call the admin API with the admin key.</p><ul id=\"sections\">");
        foreach (var section in sections.OrderBy(s => s.Order))
        {
            html.Append("<li><a href=\"/").Append(Html.E(section.Slug)).Append("\">").Append(Html.E(section.Title)).Append("</a></li>");
        }

        return new SectionPage("Dashboard", html.Append("</ul><p>Also: <a href=\"/scalar/v1\">API reference</a> · <a href=\"/metrics\">metrics</a> · <a href=\"/v1/alerts\">alerts (JSON)</a></p>").ToString());
    }

    private static void MapAsset(WebApplication app, string path, string content, string type)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        app.MapGet(path, (HttpContext http) =>
            {
                Secure(http);
                http.Response.Headers.CacheControl = "public, max-age=300";
                return Results.Bytes(bytes, type);
            })
            .ExcludeFromDescription();
    }

    private static void Secure(HttpContext http)
    {
        http.Response.Headers.ContentSecurityPolicy = DashboardAssets.ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
