using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Predictive.Operator.Tests.Support;

/// <summary>The real targets service on Kestrel (loopback, a free port) over a models directory, with an admin key.</summary>
internal sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "operator-test-admin-key-0123456789";

    private readonly string _models;

    public ServiceFactory(string modelsDirectory)
    {
        _models = modelsDirectory;
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
    }
}
