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

    /// <summary>
    /// Version 2 serves under load from three clients; its folder is deleted, version 1 activated and the folder
    /// reloaded, which retires version 2. Every request's start and end are recorded, so the test checks that requests
    /// were in flight while the swap ran (not only before and after it), that none failed, and that every request
    /// started after the swap was answered by version 1.
    /// </summary>
    [TestMethod]
    public async Task Reload_RetiresModelUnderLoad_NoRequestFails()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("default", "2", TestModels.Linear(2));
        using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?> { ["Predictive:DefaultModel"] = "default/2" });
        using var admin = factory.AdminClient();
        var body = Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 4))).ToJsonString();
        var failures = new ConcurrentBag<string>();
        var served = new ConcurrentBag<(long Start, long End, string Version)>();
        var clock = TimeProvider.System;
        using var stop = new CancellationTokenSource();

        async Task Load()
        {
            using var client = factory.CreateClient();
            for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
            {
                var start = clock.GetTimestamp();
                var response = await client.PostTargets(body);
                var text = await response.Content.ReadAsStringAsync();
                var end = clock.GetTimestamp();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode}: {text}");
                    continue;
                }

                served.Add((start, end, JsonNode.Parse(text)!["model"]!["version"]!.GetValue<string>()));
            }
        }

        var load = Enumerable.Range(0, 3).Select(_ => Task.Run(Load)).ToArray();
        await WaitUntil(() => served.Count(r => r.Version == "2") >= 30, "version 2 to serve under load");

        var swapStart = clock.GetTimestamp();
        Directory.Delete(Path.Combine(folder.Path, "default", "2"), recursive: true);
        await (await admin.PostEmpty("/v1/models/default/1/activate")).ReadObject(HttpStatusCode.OK);
        var reloaded = await (await admin.PostEmpty("/v1/models/reload")).ReadObject(HttpStatusCode.OK);
        var swapEnd = clock.GetTimestamp();

        await WaitUntil(() => served.Count(r => r.Start > swapEnd) >= 30, "requests after the swap");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures.Take(5)));
        Assert.HasCount(1, reloaded["loaded"]!.AsArray());
        var during = served.Count(r => r.Start < swapEnd && r.End > swapStart);
        Assert.IsGreaterThan(0, during, $"no request was in flight during the swap ({clock.GetElapsedTime(swapStart, swapEnd).TotalMilliseconds:F1} ms)");
        CollectionAssert.AreEquivalent(new[] { "1" }, served.Where(r => r.Start > swapEnd).Select(r => r.Version).Distinct().ToArray(), "after the swap only version 1 answers");
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after 60 s (a slow, shared machine).</summary>
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = TimeProvider.System;
        var start = clock.GetTimestamp();
        while (!condition())
        {
            Assert.IsLessThan(60.0, clock.GetElapsedTime(start).TotalSeconds, $"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }
}
