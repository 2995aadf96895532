using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Predictive.Operator.Tests.Support;

/// <summary>The real targets service on Kestrel (loopback, a free port) over a models directory, with an admin key.</summary>
internal sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "operator-test-admin-key-0123456789";

    private readonly string _models;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="modelsDirectory">The service's models directory.</param>
    /// <param name="settings">More settings (for example <c>Predictive:Governance:*</c>).</param>
    public ServiceFactory(string modelsDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _models = modelsDirectory;
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(0);
    }

    /// <summary>Starts the server; returns a client whose base address is the server's.</summary>
    public HttpClient Start()
    {
        StartServer();
        return CreateClient();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Predictive:ModelsDirectory", _models);
        builder.UseSetting("Predictive:AdminApiKey", AdminKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
