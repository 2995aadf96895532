using System.Net;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Api;

[TestClass]
public sealed class OperationsTests
{
    [TestMethod]
    public async Task Health_ValidModel_LiveAndReady()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        using var factory = new ServiceFactory(folder.Path);
        using var client = factory.Client();

        Assert.AreEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    [TestMethod]
    public async Task Health_OnlyRefusedModels_LiveButNotReadyAndTargets503()
    {
        using var folder = new ModelsFolder().AddGarbage("garbage", "1").AddTampered("tampered", "1").Add("wrong", "1", TestModels.Linear(featuresInput: "x")).Add("negative", "1", TestModels.NegativeWeights());
        using var factory = new ServiceFactory(folder.Path);
        using var client = factory.Client();

        Assert.AreEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        var targets = await client.PostTargets(Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 1))));
        await targets.ReadObject(HttpStatusCode.ServiceUnavailable);

        var models = await client.GetObject("/v1/models");
        var refused = models["refused"]!.AsArray().ToDictionary(r => r!["model"]!.GetValue<string>(), r => r!["stage"]!.GetValue<string>());
        Assert.AreEqual("opset", refused["garbage/1"]);
        Assert.AreEqual("integrity", refused["tampered/1"]);
        Assert.AreEqual("contract", refused["wrong/1"]);
        Assert.AreEqual("smoke", refused["negative/1"]);
        Assert.IsNull(models["default"]);
    }

    [TestMethod]
    public async Task Metrics_AfterRequests_ExposesServiceInstrumentsInPrometheusFormat()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).AddTampered("bad", "1");
        using var factory = new ServiceFactory(folder.Path);
        using var client = factory.Client();
        await client.PostTargets(Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 1))));
        await client.PostTargets("{}");

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("predictive_targets_request_duration_seconds_bucket", text);
        Assert.Contains("predictive_inference_duration_seconds_bucket", text);
        Assert.Contains("predictive_model_active", text);
        Assert.Contains("version=\"1\"", text);
        Assert.Contains("predictive_models_refused", text);
        Assert.Contains("kind=\"validation\"", text);
        Assert.Contains("dotnet_gc_collections_total", text);
        Assert.Contains("dotnet_process_cpu_time_seconds_total", text);
    }

    [TestMethod]
    public async Task OpenApi_Document_DescribesEndpointsAndPageServes()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        using var factory = new ServiceFactory(folder.Path);
        using var client = factory.Client();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var page = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative));

        Assert.Contains("/v1/targets", document);
        Assert.Contains("/v1/models/{name}/{version}/activate", document);
        Assert.Contains("currentWeights", document);
        Assert.AreEqual(HttpStatusCode.OK, page.StatusCode);
    }
}
