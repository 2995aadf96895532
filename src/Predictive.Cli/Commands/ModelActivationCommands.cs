using System.CommandLine;
using System.Net.Http.Headers;
using Predictive.Onnx.Registry;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive models activate &lt;name&gt;/&lt;version&gt;</c> and <c>predictive models rollback</c>: ungoverned activation,
/// persisted in the models directory's <c>active.json</c> (which the service honours on start) and, with
/// <c>--service</c>, applied to the running service through its admin API at once.
/// </summary>
public static class ModelActivationCommands
{
    /// <summary>The environment variable the admin key may come from.</summary>
    public const string AdminKeyVariable = "PREDICTIVE_ADMIN_KEY";

    /// <summary>Adds <c>activate</c> and <c>rollback</c> to the <c>models</c> command group.</summary>
    public static void AddTo(Command models, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(models);
        models.Subcommands.Add(Activate(context));
        models.Subcommands.Add(Rollback(context));
    }

    private static (Option<string> Models, Option<Uri?> Service, Option<string?> AdminKey) Common() =>
    (
        new Option<string>("--models") { Description = "The models directory.", DefaultValueFactory = _ => "models" },
        new Option<Uri?>("--service") { Description = "A running service to switch now through its admin API (e.g. http://127.0.0.1:5080)." },
        new Option<string?>("--admin-key") { Description = $"The service's admin key (default: ${AdminKeyVariable})." }
    );

    private static Command Activate(CliContext context)
    {
        var key = new Argument<string>("model") { Description = "The model to activate, name/version." };
        var (models, service, adminKey) = Common();
        var cmd = new Command("activate", "Make a model the default: checked like the service loads it, recorded in <models>/active.json, and applied to --service now.") { key, models, service, adminKey };
        cmd.SetAction(async (parse, ct) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(models)!);
            var (name, version) = parse.GetValue(key)!.Split('/') is [var n, var v] && n.Length > 0 && v.Length > 0
                ? (n, v)
                : throw new CliException($"'{parse.GetValue(key)}' is not name/version (for example default/1).");
            var (model, refusal) = ModelLoader.Load(Path.Combine(directory, name, version), name, version, context.Time);
            if (model is null)
            {
                throw new CliException($"{name}/{version} in {directory} cannot be activated: refused at the {refusal!.Stage} check: {refusal.Reason}");
            }

            string sha;
            using (model)
            {
                sha = model.Sha256;
            }

            var record = ActiveModelFile.Activate(directory, new ActiveModelEntry($"{name}/{version}", sha, context.Time.GetUtcNow(), "cli"));
            await context.Out.WriteLineAsync($"active: {record.Active.Key} (sha256 {sha}), recorded in {ActiveModelFile.PathIn(directory)}").ConfigureAwait(false);
            await NotifyAsync(context, parse.GetValue(service), parse.GetValue(adminKey), record.Active.Key, ct).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static Command Rollback(CliContext context)
    {
        var (models, service, adminKey) = Common();
        var cmd = new Command("rollback", "Return to the model active before the current one (from <models>/active.json), and apply it to --service now.") { models, service, adminKey };
        cmd.SetAction(async (parse, ct) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(models)!);
            ActiveModelRecord record;
            try
            {
                var from = ActiveModelFile.ActiveKey(directory);
                record = ActiveModelFile.Rollback(directory, "cli", context.Time.GetUtcNow());
                await context.Out.WriteLineAsync($"active: {record.Active.Key} (sha256 {record.Active.Sha256}), rolled back from {from}").ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }

            await NotifyAsync(context, parse.GetValue(service), parse.GetValue(adminKey), record.Active.Key, ct).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static async Task NotifyAsync(CliContext context, Uri? service, string? adminKey, string key, CancellationToken ct)
    {
        if (service is null)
        {
            await context.Out.WriteLineAsync("a service on this models directory serves it from its next start (or pass --service to switch a running one now).").ConfigureAwait(false);
            return;
        }

        var secret = adminKey ?? Environment.GetEnvironmentVariable(AdminKeyVariable)
            ?? throw new CliException($"--service needs the admin key: pass --admin-key or set {AdminKeyVariable}.");
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        foreach (var path in new[] { "v1/models/reload", $"v1/models/{key}/activate" })
        {
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), null, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"the service at {service} refused {path} ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
            }
        }

        await context.Out.WriteLineAsync($"the service at {service} now serves {key} by default.").ConfigureAwait(false);
    }
}
