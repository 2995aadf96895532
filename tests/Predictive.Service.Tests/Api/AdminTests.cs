using System.Net;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Api;

[TestClass]
public sealed class AdminTests
{
    private static ModelsFolder s_folder = null!;
    private static ServiceFactory s_factory = null!;

    [ClassInitialize]
    public static void Start(TestContext context)
    {
        s_folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("default", "2", TestModels.Linear(2)).Add("other", "1", TestModels.Linear(3));
        s_factory = new ServiceFactory(s_folder.Path);
        s_factory.StartServer();
    }

    [ClassCleanup]
    public static void Stop()
    {
        s_factory.Dispose();
        s_folder.Dispose();
    }

    [TestMethod]
    [DataRow("/v1/models/default/1/activate")]
    [DataRow("/v1/models/reload")]
    public async Task AdminEndpoint_NoCredentials_Returns401Problem(string path)
    {
        using var client = s_factory.CreateClient();

        var response = await client.PostEmpty(path);

        await response.ReadObject(HttpStatusCode.Unauthorized);
        Assert.AreEqual("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [TestMethod]
    [DataRow("/v1/models/default/1/activate")]
    [DataRow("/v1/models/reload")]
    public async Task AdminEndpoint_WrongBearer_Returns403Problem(string path)
    {
        using var client = s_factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key-000000000");

        await (await client.PostEmpty(path)).ReadObject(HttpStatusCode.Forbidden);
    }

    [TestMethod]
    public async Task AdminEndpoint_WrongApiKeyHeader_Returns403()
    {
        using var client = s_factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey + "x");

        await (await client.PostEmpty("/v1/models/reload")).ReadObject(HttpStatusCode.Forbidden);
    }

    [TestMethod]
    public async Task Activate_ApiKeyHeader_SwitchesDefaultForNewRequests()
    {
        using var client = s_factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        try
        {
            var activation = await (await client.PostEmpty("/v1/models/default/1/activate")).ReadObject(HttpStatusCode.OK);
            Assert.AreEqual("1", activation["model"]!["version"]!.GetValue<string>());

            var body = await (await client.PostTargets(Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 1))))).ReadObject(HttpStatusCode.OK);
            Assert.AreEqual("1", body["model"]!["version"]!.GetValue<string>());
            Assert.AreEqual("default/1", (await client.GetObject("/v1/models"))["default"]!.GetValue<string>());
        }
        finally
        {
            await client.PostEmpty("/v1/models/default/2/activate");
        }
    }

    [TestMethod]
    public async Task Activate_ForPortfolio_OnlyThatPortfolioMoves()
    {
        using var client = s_factory.AdminClient();

        await (await client.PostEmpty("/v1/models/other/1/activate?portfolio=vip")).ReadObject(HttpStatusCode.OK);
        var body = await (await client.PostTargets(Payloads.Body(
            Payloads.Portfolio("vip", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 1)),
            Payloads.Portfolio("plain", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 1))))).ReadObject(HttpStatusCode.OK);

        Assert.AreEqual("other", body["targets"]![0]!["model"]!["name"]!.GetValue<string>());
        Assert.AreEqual("default", body["targets"]![1]!["model"]!["name"]!.GetValue<string>());
        var models = await client.GetObject("/v1/models");
        Assert.AreEqual("other/1", models["active"]!["vip"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task Activate_UnknownModel_Returns404Problem()
    {
        using var client = s_factory.AdminClient();

        var problem = await (await client.PostEmpty("/v1/models/ghost/9/activate")).ReadObject(HttpStatusCode.NotFound);

        Assert.Contains("ghost/9", problem["detail"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task Reload_NewModelOnDisk_IsLoaded()
    {
        using var client = s_factory.AdminClient();
        s_folder.Add("late", "1", TestModels.Linear());

        var body = await (await client.PostEmpty("/v1/models/reload")).ReadObject(HttpStatusCode.OK);

        Assert.IsTrue(body["loaded"]!.AsArray().Any(m => m!["name"]!.GetValue<string>() == "late"));
    }

    [TestMethod]
    public async Task AdminEndpoint_NoKeyConfigured_Returns403Disabled()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        using var factory = new ServiceFactory(folder.Path, adminKey: false);
        using var client = factory.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "anything-at-all-123456");

        var problem = await (await client.PostEmpty("/v1/models/default/1/activate")).ReadObject(HttpStatusCode.Forbidden);

        Assert.Contains("AdminApiKey", problem["detail"]!.GetValue<string>());
    }
}
