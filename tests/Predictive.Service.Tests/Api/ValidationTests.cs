using System.Net;
using System.Text.Json.Nodes;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Api;

[TestClass]
public sealed class ValidationTests
{
    private static ModelsFolder s_folder = null!;
    private static ServiceFactory s_factory = null!;
    private static HttpClient s_client = null!;

    [ClassInitialize]
    public static void Start(TestContext context)
    {
        s_folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        s_factory = new ServiceFactory(s_folder.Path, new Dictionary<string, string?>
        {
            ["Predictive:MaxPortfolios"] = "3",
            ["Predictive:MaxBodyBytes"] = "20000",
        });
        s_client = s_factory.Client();
    }

    [ClassCleanup]
    public static void Stop()
    {
        s_client.Dispose();
        s_factory.Dispose();
        s_folder.Dispose();
    }

    private static JsonObject Valid(string id = "p1") => Payloads.Portfolio(id, Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 1));

    [TestMethod]
    public async Task PostTargets_FeatureRowsDisagreeWithAssets_Returns400NamingFeatures()
    {
        var p = Valid();
        p["features"]!.AsArray().RemoveAt(2);

        var messages = await (await s_client.PostTargets(Payloads.Body(p))).AssertInvalid("portfolios[0].features");

        Assert.Contains("Has 2 rows; assets has 3", messages);
    }

    [TestMethod]
    public async Task PostTargets_CurrentWeightsDisagreeWithAssets_Returns400NamingCurrentWeights()
    {
        var p = Valid();
        p["currentWeights"] = new JsonArray(0.5, 0.5);

        await (await s_client.PostTargets(Payloads.Body(p))).AssertInvalid("portfolios[0].currentWeights");
    }

    [TestMethod]
    public async Task PostTargets_FeatureRowTooShortForModel_Returns400NamingRow()
    {
        var p = Valid();
        p["features"]![1] = new JsonArray(0.1, 0.2);

        var messages = await (await s_client.PostTargets(Payloads.Body(p))).AssertInvalid("portfolios[0].features[1]");

        Assert.Contains("takes 3 features", messages);
    }

    [TestMethod]
    [DataRow("NaN")]
    [DataRow("Infinity")]
    [DataRow("-Infinity")]
    [DataRow("\"NaN\"")]
    public async Task PostTargets_NonFiniteFeatureLiteral_Returns400NamingField(string literal)
    {
        var json = $$"""{"portfolios":[{"id":"p1","assets":["BTC","ETH"],"currentWeights":[0.5,0.5],"features":[[0.1,0.2,0.3],[0.1,{{literal}},0.3]]}]}""";

        var messages = await (await s_client.PostTargets(json)).AssertInvalid("portfolios[0].features[1][1]");

        Assert.Contains("finite", messages);
    }

    [TestMethod]
    public async Task PostTargets_NaNInCurrentWeights_Returns400NamingField()
    {
        var json = """{"portfolios":[{"id":"p1","assets":["BTC","ETH"],"currentWeights":[0.5,NaN],"features":[[0.1,0.2,0.3],[0.1,0.2,0.3]]}]}""";

        await (await s_client.PostTargets(json)).AssertInvalid("portfolios[0].currentWeights[1]");
    }

    [TestMethod]
    public async Task PostTargets_NumberOverflowingDouble_Returns400NamingField()
    {
        var json = """{"portfolios":[{"id":"p1","assets":["BTC"],"currentWeights":[1e999],"features":[[0.1,0.2,0.3]]}]}""";

        await (await s_client.PostTargets(json)).AssertInvalid("portfolios[0].currentWeights[0]");
    }

    [TestMethod]
    public async Task PostTargets_NegativeCurrentWeight_Returns400NamingField()
    {
        var p = Valid();
        p["currentWeights"] = new JsonArray(0.5, 0.7, -0.2);

        await (await s_client.PostTargets(Payloads.Body(p))).AssertInvalid("portfolios[0].currentWeights[2]");
    }

    [TestMethod]
    public async Task PostTargets_UnknownModel_Returns400NamingModel()
    {
        var p = Valid();
        p["model"] = "nope/1";

        var messages = await (await s_client.PostTargets(Payloads.Body(p))).AssertInvalid("portfolios[0].model");

        Assert.Contains("default/1", messages);
    }

    [TestMethod]
    public async Task PostTargets_BatchOverLimit_Returns400NamingPortfolios()
    {
        var messages = await (await s_client.PostTargets(Payloads.Body(Valid("a"), Valid("b"), Valid("c"), Valid("d")))).AssertInvalid("portfolios");

        Assert.Contains("limit per request is 3", messages);
    }

    [TestMethod]
    public async Task PostTargets_BodyOverLimit_Returns413Problem()
    {
        var p = Valid();
        p["id"] = new string('x', 25_000);

        var response = await s_client.PostTargets(Payloads.Body(p));

        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadObject(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("20000 bytes", problem["detail"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task PostTargets_BodyOverLimitWithoutContentLength_Returns413Problem()
    {
        var big = Payloads.Body(Valid()).ToJsonString().Replace("\"p1\"", "\"" + new string('y', 30_000) + "\"", StringComparison.Ordinal);
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/targets", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await s_client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [TestMethod]
    public async Task PostTargets_MisspeltProperty_Returns400()
    {
        var json = """{"portfolios":[{"id":"p1","assets":["BTC"],"currentWeight":[1],"features":[[0.1,0.2,0.3]]}]}""";

        var response = await s_client.PostTargets(json);

        var problem = await response.ReadObject(HttpStatusCode.BadRequest);
        Assert.Contains("currentWeight", problem.ToJsonString());
    }

    [TestMethod]
    public async Task PostTargets_FeaturesAndPricesBoth_Returns400NamingPortfolio()
    {
        var p = Valid();
        p["prices"] = new JsonObject { ["timestamps"] = new JsonArray("2024-01-01T00:00:00Z"), ["close"] = new JsonObject() };

        await (await s_client.PostTargets(Payloads.Body(p))).AssertInvalid("portfolios[0]");
    }

    [TestMethod]
    public async Task PostTargets_DuplicateIdsAndAssets_Returns400ForEach()
    {
        var second = Valid();
        second["assets"] = new JsonArray("BTC", "BTC", "SOL");

        var response = await s_client.PostTargets(Payloads.Body(Valid(), second));

        var problem = await response.ReadObject(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.IsTrue(errors.ContainsKey("portfolios[1].id"));
        Assert.IsTrue(errors.ContainsKey("portfolios[1].assets[1]"));
    }

    [TestMethod]
    public async Task PostTargets_EmptyOrMissingPortfolios_Returns400()
    {
        await (await s_client.PostTargets("{}")).AssertInvalid("portfolios");
        await (await s_client.PostTargets("""{"portfolios":[]}""")).AssertInvalid("portfolios");
    }

    [TestMethod]
    public async Task PostTargets_TruncatedJson_Returns400Problem()
    {
        var response = await s_client.PostTargets("""{"portfolios":[{"id":"p1",""");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
