using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Api;

[TestClass]
public sealed class HotSwapTests
{
    [TestMethod]
    public async Task Activate_UnderConcurrentLoad_NoRequestFailsAndBothModelsServe()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("default", "2", TestModels.Linear(2));
        using var factory = new ServiceFactory(folder.Path);
        using var admin = factory.AdminClient();
        var body = Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 4))).ToJsonString();
        var failures = new ConcurrentBag<string>();
        var versions = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        async Task Load()
        {
            using var client = factory.CreateClient();
            for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
            {
                var response = await client.PostTargets(body);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode}: {text}");
                    continue;
                }

                var version = JsonNode.Parse(text)!["model"]!["version"]!.GetValue<string>();
                versions.AddOrUpdate(version, 1, (_, n) => n + 1);
            }
        }

        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(Load)).ToArray();

        // At least 40 swaps, and on until both versions have answered (bounded, for a slow machine).
        for (var swap = 0; (swap < 40 || versions.Count < 2) && swap < 2000; swap++)
        {
            var version = swap % 2 == 0 ? "1" : "2";
            var response = await admin.PostEmpty($"/v1/models/default/{version}/activate");
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures.Take(5)));
        Assert.IsTrue(versions.ContainsKey("1") && versions.ContainsKey("2"), $"served: {string.Join(", ", versions)}");
    }

    [TestMethod]
    public async Task Reload_RetiresModelUnderLoad_NoRequestFails()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("default", "2", TestModels.Linear(2));
        using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?> { ["Predictive:DefaultModel"] = "default/2" });
        using var admin = factory.AdminClient();
        var body = Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 4))).ToJsonString();
        var failures = new ConcurrentBag<string>();

        async Task Load()
        {
            using var client = factory.CreateClient();
            for (var i = 0; i < 150; i++)
            {
                var response = await client.PostTargets(body);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add(await response.Content.ReadAsStringAsync());
                }
            }
        }

        var load = Enumerable.Range(0, 3).Select(_ => Task.Run(Load)).ToArray();
        await Task.Delay(50);
        Directory.Delete(Path.Combine(folder.Path, "default", "2"), recursive: true);
        await (await admin.PostEmpty("/v1/models/default/1/activate")).ReadObject(HttpStatusCode.OK);
        var reloaded = await (await admin.PostEmpty("/v1/models/reload")).ReadObject(HttpStatusCode.OK);
        await Task.WhenAll(load);

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures.Take(5)));
        Assert.HasCount(1, reloaded["loaded"]!.AsArray());
    }
}
