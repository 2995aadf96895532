using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Predictive.Service.Api;
using Predictive.Tests.Shared;

namespace Predictive.Keeper.Tests.Support;

/// <summary>The real targets service on Kestrel (loopback, a free port) over the repository's models (the bundled model).</summary>
internal sealed class TargetsService : WebApplicationFactory<TargetsRequest>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <summary>Creates the service; <paramref name="settings"/> adds configuration (e.g. <c>Predictive:Governance:*</c>).</summary>
    public TargetsService(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(0);
    }

    /// <summary>The bundled model's directory.</summary>
    public static string ModelsDirectory => RepositoryPaths.Combine("models");

    /// <summary>Starts the server; returns its base URL.</summary>
    public Uri Start()
    {
        StartServer();
        using var client = CreateClient();
        return client.BaseAddress!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Predictive:ModelsDirectory", ModelsDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
