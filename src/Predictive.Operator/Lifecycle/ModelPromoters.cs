using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Predictive.Onnx.Registry;
using Predictive.Operator.Options;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// Promotes a winner by exactly one path: activation (the service's admin API, or the models directory) when governance
/// is off, a Governor proposal when it is on. The host registers one implementation, so a job cannot do both.
/// </summary>
public interface IModelPromoter
{
    /// <summary>Promotes <paramref name="winner"/>; returns what was done, in a sentence. Promoting the same winner again does nothing new.</summary>
    /// <exception cref="PromotionException">The promotion was refused; nothing changed.</exception>
    Task<string> PromoteAsync(ChallengerRecord winner, CancellationToken cancellationToken);
}

/// <summary>A promotion that did not happen.</summary>
public sealed class PromotionException(string message) : Exception(message);

/// <summary>
/// Activates through the service's admin API: reload (so the service sees the new version), then activate, and checks
/// that the service now serves the winner's SHA-256. The service persists the activation in its models directory.
/// </summary>
public sealed class ServiceAdminActivator(IHttpClientFactory http, IOptions<OperatorOptions> options) : IModelPromoter
{
    /// <summary>The name of the HTTP client for the service.</summary>
    public const string HttpClientName = "service";

    /// <inheritdoc />
    public async Task<string> PromoteAsync(ChallengerRecord winner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(winner);
        var service = options.Value.Service;
        var client = http.CreateClient(HttpClientName);
        client.BaseAddress = service.Url;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.AdminApiKey);
        using (var reload = await client.PostAsync(new Uri("v1/models/reload", UriKind.Relative), null, cancellationToken).ConfigureAwait(false))
        {
            await EnsureAsync(reload, "reload", cancellationToken).ConfigureAwait(false);
        }

        var (name, version) = winner.Key.Split('/') is [var n, var v] ? (n, v) : throw new PromotionException($"'{winner.Key}' is not name/version.");
        using var activate = await client.PostAsync(new Uri($"v1/models/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(version)}/activate", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(activate, "activate", cancellationToken).ConfigureAwait(false);
        var body = await activate.Content.ReadFromJsonAsync<ActivationBody>(cancellationToken).ConfigureAwait(false);
        if (body?.Model?.Sha256 != winner.Sha256)
        {
            throw new PromotionException($"the service at {service.Url} activated {winner.Key} with SHA-256 {body?.Model?.Sha256 ?? "(none)"}, not the evaluated {winner.Sha256}; does it read the same models directory?");
        }

        return $"activated through the admin API of {service.Url} (generation {body.Generation})";
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string step, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new PromotionException($"the service refused the {step} ({(int)response.StatusCode} {response.ReasonPhrase}): {detail}");
        }
    }

    private sealed record ActivationBody([property: JsonPropertyName("model")] ModelBody? Model, [property: JsonPropertyName("generation")] long Generation);

    private sealed record ModelBody([property: JsonPropertyName("sha256")] string? Sha256);
}

/// <summary>
/// With no service configured, activates in the models directory's activation record (<see cref="ActiveModelFile"/>)
/// after loading the model through the registry's checks; a service started on that directory serves it.
/// </summary>
public sealed class ModelsDirectoryActivator(IOptions<OperatorOptions> options, TimeProvider time) : IModelPromoter
{
    /// <inheritdoc />
    public Task<string> PromoteAsync(ChallengerRecord winner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(winner);
        var models = options.Value.ModelsDirectory;
        var (name, version) = winner.Key.Split('/') is [var n, var v] ? (n, v) : throw new PromotionException($"'{winner.Key}' is not name/version.");
        var (model, refusal) = ModelLoader.Load(Path.Combine(models, name, version), name, version, time);
        if (model is null)
        {
            throw new PromotionException($"{winner.Key} was refused at the {refusal!.Stage} check: {refusal.Reason}");
        }

        using (model)
        {
            if (model.Sha256 != winner.Sha256)
            {
                throw new PromotionException($"{winner.Key} on disk has SHA-256 {model.Sha256}, not the evaluated {winner.Sha256}.");
            }
        }

        ActiveModelFile.Activate(models, new ActiveModelEntry(winner.Key, winner.Sha256, time.GetUtcNow(), "operator", "won its evaluation"));
        return Task.FromResult($"activated in {ActiveModelFile.PathIn(models)} (no service configured; a service on this directory serves it from its next start)");
    }
}
