using System.Net;
using System.Text.Json.Nodes;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Api;

[TestClass]
public sealed class TargetsTests
{
    private static ModelsFolder s_folder = null!;
    private static ServiceFactory s_factory = null!;
    private static HttpClient s_client = null!;

    [ClassInitialize]
    public static void Start(TestContext context)
    {
        s_folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("sharp", "2", TestModels.Linear(scale: 3));
        s_factory = new ServiceFactory(s_folder.Path);
        s_client = s_factory.Client();
    }

    [ClassCleanup]
    public static void Stop()
    {
        s_client.Dispose();
        s_factory.Dispose();
        s_folder.Dispose();
    }

    [TestMethod]
    public async Task PostTargets_SinglePortfolio_ReturnsModelWeightsAndDrift()
    {
        var features = Payloads.Features(3, 1);
        var current = new[] { 0.5, 0.3, 0.2 };

        var response = await s_client.PostTargets(Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, current, features)));

        var body = await response.ReadObject(HttpStatusCode.OK);
        Assert.AreEqual("default", body["model"]!["name"]!.GetValue<string>());
        Assert.AreEqual("1", body["model"]!["version"]!.GetValue<string>());
        Assert.HasCount(64, body["model"]!["sha256"]!.GetValue<string>());
        var target = body["targets"]![0]!;
        Assert.AreEqual("p1", target["id"]!.GetValue<string>());
        var weights = Payloads.Weights(target);
        var expected = TestModels.LinearByHand(features, current);
        for (var a = 0; a < 3; a++)
        {
            Assert.AreEqual(expected[a], weights[a], 1e-6);
        }

        Assert.AreEqual(1.0, weights.Sum(), 1e-6);
        var l1 = weights.Zip(current, (w, c) => Math.Abs(w - c)).Sum();
        Assert.AreEqual(l1, target["drift"]!["l1"]!.GetValue<double>(), 1e-12);
        Assert.IsNotNull(target["drift"]!["maxAsset"]);
    }

    [TestMethod]
    public async Task PostTargets_BatchWithMixedAssetCounts_AnswersEachInOrder()
    {
        var sizes = new[] { 3, 2, 3, 4 };
        var portfolios = sizes.Select((n, i) => Payloads.Portfolio($"p{i}", [.. Enumerable.Range(0, n).Select(a => $"A{a}")], Payloads.Uniform(n), Payloads.Features(n, 10 + i))).ToArray();

        var body = await (await s_client.PostTargets(Payloads.Body(portfolios))).ReadObject(HttpStatusCode.OK);

        var targets = body["targets"]!.AsArray();
        Assert.HasCount(4, targets);
        for (var i = 0; i < sizes.Length; i++)
        {
            Assert.AreEqual($"p{i}", targets[i]!["id"]!.GetValue<string>());
            var expected = TestModels.LinearByHand(Payloads.Features(sizes[i], 10 + i), Payloads.Uniform(sizes[i]));
            CollectionAssert.AreEqual(expected.Select(x => Math.Round(x, 5)).ToArray(), Payloads.Weights(targets[i]!).Select(x => Math.Round(x, 5)).ToArray());
        }
    }

    [TestMethod]
    public async Task PostTargets_LargeBatchSentChunked_AnswersEachInOrder()
    {
        // About 250 KB sent without Content-Length in small writes: the service parses it piece by piece as it arrives.
        var portfolios = Enumerable.Range(0, 1000).Select(i => Payloads.Portfolio($"p{i}", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, i))).ToArray();
        var json = System.Text.Encoding.UTF8.GetBytes(Payloads.Body(portfolios).ToJsonString());
        using var content = new StreamContent(new MemoryStream(json), bufferSize: 1000);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/targets", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var body = await (await s_client.SendAsync(request)).ReadObject(HttpStatusCode.OK);

        var targets = body["targets"]!.AsArray();
        Assert.HasCount(1000, targets);
        foreach (var i in new[] { 0, 1, 517, 999 })
        {
            Assert.AreEqual($"p{i}", targets[i]!["id"]!.GetValue<string>());
            var expected = TestModels.LinearByHand(Payloads.Features(3, i), Payloads.Uniform(3));
            CollectionAssert.AreEqual(expected.Select(x => Math.Round(x, 5)).ToArray(), Payloads.Weights(targets[i]!).Select(x => Math.Round(x, 5)).ToArray());
        }
    }

    [TestMethod]
    public async Task PostTargets_BatchMixingModels_NamesModelPerTargetAndNoneAtTop()
    {
        var features = Payloads.Features(3, 2);
        var body = await (await s_client.PostTargets(Payloads.Body(
            Payloads.Portfolio("a", Payloads.Assets3, Payloads.Uniform(3), features),
            Payloads.Portfolio("b", Payloads.Assets3, Payloads.Uniform(3), features, model: "sharp/2")))).ReadObject(HttpStatusCode.OK);

        Assert.IsNull(body["model"]);
        Assert.AreEqual("default", body["targets"]![0]!["model"]!["name"]!.GetValue<string>());
        Assert.AreEqual("sharp", body["targets"]![1]!["model"]!["name"]!.GetValue<string>());
        var sharp = Payloads.Weights(body["targets"]![1]!);
        var expected = TestModels.LinearByHand(features, Payloads.Uniform(3), scale: 3);
        Assert.AreEqual(expected[0], sharp[0], 1e-6);
    }

    [TestMethod]
    public async Task PostTargets_Prices_BuildsSameFeaturesAsCoreFeatureBuilder()
    {
        var times = Enumerable.Range(0, 12).Select(d => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(d)).ToArray();
        var random = new Random(3);
        var closes = Payloads.Assets3.Select(_ => Enumerable.Range(0, times.Length).Select(t => 100 * Math.Exp(0.05 * Math.Sin(t + random.NextDouble()))).ToArray()).ToArray();
        var frame = FeatureBuilder.Build(new PricePanel(times, Payloads.Assets3, BarInterval.Daily, closes), TestModels.Spec);
        var last = frame.BarCount - 1;
        var features = Enumerable.Range(0, 3).Select(a => Enumerable.Range(0, 3).Select(k => (float)frame[last, a, k]).ToArray()).ToArray();
        var current = new[] { 0.2, 0.2, 0.6 };
        var closeObject = new JsonObject();
        for (var a = 0; a < 3; a++)
        {
            closeObject[Payloads.Assets3[a]] = new JsonArray([.. closes[a].Select(x => (JsonNode)x)]);
        }

        var pricePortfolio = new JsonObject
        {
            ["id"] = "by-prices",
            ["assets"] = new JsonArray("BTC", "ETH", "SOL"),
            ["currentWeights"] = new JsonArray(0.2, 0.2, 0.6),
            ["prices"] = new JsonObject
            {
                ["timestamps"] = new JsonArray([.. times.Select(t => (JsonNode)t.ToString("O"))]),
                ["close"] = closeObject,
            },
        };

        var body = await (await s_client.PostTargets(Payloads.Body(pricePortfolio, Payloads.Portfolio("by-features", Payloads.Assets3, current, features)))).ReadObject(HttpStatusCode.OK);

        var byPrices = Payloads.Weights(body["targets"]![0]!);
        var byFeatures = Payloads.Weights(body["targets"]![1]!);
        for (var a = 0; a < 3; a++)
        {
            Assert.AreEqual(byFeatures[a], byPrices[a], 1e-12, $"asset {a}");
        }
    }

    [TestMethod]
    public async Task PostTargets_PricesTooShortForSpec_Returns400NamingAssetAndFeature()
    {
        var portfolio = new JsonObject
        {
            ["id"] = "short",
            ["assets"] = new JsonArray("BTC"),
            ["currentWeights"] = new JsonArray(1.0),
            ["prices"] = new JsonObject
            {
                ["timestamps"] = new JsonArray("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"),
                ["close"] = new JsonObject { ["BTC"] = new JsonArray(1.0, 1.1, 1.2) },
            },
        };

        var messages = await (await s_client.PostTargets(Payloads.Body(portfolio))).AssertInvalid("portfolios[0].prices.close.BTC");

        Assert.Contains("logReturn_7", messages);
    }

    [TestMethod]
    public async Task GetModels_TwoLoaded_ListsFeaturesAndDefault()
    {
        var body = await s_client.GetObject("/v1/models");

        Assert.AreEqual("default/1", body["default"]!.GetValue<string>());
        var loaded = body["loaded"]!.AsArray();
        Assert.HasCount(2, loaded);
        Assert.AreEqual("logReturn_1", loaded[0]!["features"]![0]!.GetValue<string>());
        Assert.IsTrue(loaded[0]!["isDefault"]!.GetValue<bool>());
        Assert.IsEmpty(body["refused"]!.AsArray());
    }
}
