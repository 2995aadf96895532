using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Predictive.Service.Tests.Support;

/// <summary>The real service on Kestrel (loopback, a free port) over a given models directory.</summary>
internal sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly Dictionary<string, string?> _settings;

    public ServiceFactory(string modelsDirectory, IDictionary<string, string?>? settings = null, bool adminKey = true)
    {
        _settings = new(StringComparer.Ordinal)
        {
            ["Predictive:ModelsDirectory"] = modelsDirectory,
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (adminKey)
        {
            _settings["Predictive:AdminApiKey"] = AdminKey;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(0);
    }

    public HttpClient Client()
    {
        StartServer();
        return CreateClient();
    }

    public HttpClient AdminClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
