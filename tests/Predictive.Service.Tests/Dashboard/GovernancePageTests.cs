using System.Globalization;
using System.Security.Cryptography;
using Predictive.Service.Tests.Governance;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>
/// The Models page of a governed service on anvil: after real proposals (approve and activate default/1, approve
/// default/2, revoke default/2) the page shows the registry's versions and decisions exactly as <c>GET /v1/governance</c>
/// returns them, and both match what the test knows independently (the blocks its executions were mined in, the
/// SHA-256 of the files it approved); it offers no Activate button and the API refuses one. With the node gone, the governance alert fires on the page.
/// </summary>
[TestClass]
public sealed class GovernancePageTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ModelsPage_GovernedServiceOnAnvil_ShowsApprovalsActivationsRevocationsAsApiAndChainReturnWithoutActivate()
    {
        await using var world = await GovernedWorld.StartAsync();
        world.Folder.Add("default", "1", TestModels.Linear(1f)).Add("default", "2", TestModels.Linear(2f)).Add("other", "1", TestModels.Linear(3f));
        var approvedAt = await world.ApproveAsync("default", "1");
        var approved2At = await world.ApproveAsync("default", "2", activate: false);
        var revokedAt = await world.RevokeAsync("default", "2");
        await world.Clock.MineAsync(GovernedWorld.Confirmations);
        world.StartService();
        using var client = world.Service.Client();
        Assert.IsTrue(await world.EventuallyAsync(s => s.DefaultKey == "default/1"), "the governed service serves the approved default/1");

        var api = await client.GetObject("/v1/governance");
        var decisions = api["decisions"]!.AsArray();
        string Sha(string name, string version) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(world.Folder.Dir(name, version), "model.onnx"))));

        // What the chain must say, from what the test did: the blocks its executions were mined in and the files' hashes.
        (string Kind, System.Numerics.BigInteger Block, string Version, string? Sha)[] expected =
        [
            ("approved", approvedAt, "1", Sha("default", "1")),
            ("activated", approvedAt, "1", null),
            ("approved", approved2At, "2", Sha("default", "2")),
            ("revoked", revokedAt, "2", null),
        ];
        Assert.HasCount(expected.Length, decisions);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i].Kind, decisions[i]!["kind"]!.GetValue<string>(), $"decision {i}");
            Assert.AreEqual((ulong)expected[i].Block, decisions[i]!["block"]!.GetValue<ulong>(), $"decision {i}");
            Assert.AreEqual(expected[i].Version, decisions[i]!["version"]!.GetValue<ulong>().ToString(CultureInfo.InvariantCulture), $"decision {i}");
            Assert.AreEqual(expected[i].Sha, decisions[i]!["onnxSha256"]?.GetValue<string>(), $"decision {i}");
            Assert.AreEqual("default", decisions[i]!["model"]!.GetValue<string>(), $"decision {i}");
        }

        CollectionAssert.AreEquivalent(new[] { "default/2", "other/1" }, api["notApproved"]!.AsArray().Select(r => r!["model"]!.GetValue<string>()).ToArray());

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(client.BaseAddress!, "/models"));
        Assert.AreEqual(api["block"]!.GetValue<ulong>().ToString(CultureInfo.InvariantCulture), await page.Locator("#registry-block").TextContentAsync());
        var rows = await page.Locator("#registry-decisions tbody tr").AllAsync();
        Assert.HasCount(decisions.Count, rows);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = await rows[i].Locator("td").AllTextContentsAsync();
            var d = decisions[i]!;
            CollectionAssert.AreEqual(
                new[] { d["block"]!.GetValue<ulong>().ToString(CultureInfo.InvariantCulture), d["kind"]!.GetValue<string>(), "default", d["version"]!.GetValue<ulong>().ToString(CultureInfo.InvariantCulture), d["onnxSha256"]?.GetValue<string>() ?? "", d["detail"]!.GetValue<string>(), d["transactionHash"]!.GetValue<string>() },
                cells.ToArray(),
                $"decision row {i}");
        }

        var versions = api["versions"]!.AsArray();
        var versionRows = await page.Locator("#registry-versions tbody tr").AllAsync();
        Assert.HasCount(2, versions);
        Assert.HasCount(versions.Count, versionRows);
        for (var i = 0; i < versionRows.Count; i++)
        {
            var cells = await versionRows[i].Locator("td").AllTextContentsAsync();
            Assert.AreEqual(versions[i]!["status"]!.GetValue<string>(), cells[2]);
            Assert.AreEqual(versions[i]!["active"]!.GetValue<bool>() ? "yes" : "", cells[3]);
            Assert.AreEqual(versions[i]!["onnxSha256"]!.GetValue<string>(), cells[5]);
        }

        CollectionAssert.AreEqual(new[] { "approved", "revoked" }, versions.Select(v => v!["status"]!.GetValue<string>()).ToArray());
        CollectionAssert.AreEquivalent(new[] { "default/2", "other/1" }, (await page.Locator("#not-approved tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.model)")).ToArray());
        Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));

        // Governed: no Activate button on the page (the registry's activate decides), and the API refuses the action with the key.
        Assert.AreEqual(0, await page.Locator("button[data-action$='/activate']").CountAsync());
        Assert.AreEqual(1, await page.Locator("button[data-action='/v1/models/reload']").CountAsync());
        StringAssert.Contains(await page.Locator("#activation-governed").TextContentAsync(), "governed");
        using (var admin = world.Service.AdminClient())
        using (var refused = await admin.PostAsync(new Uri("/v1/models/default/1/activate", UriKind.Relative), null, TestContext.CancellationToken))
        {
            Assert.AreEqual(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
        }

        var shots = Environment.GetEnvironmentVariable("PREDICTIVE_DASHBOARD_SCREENSHOTS");
        if (!string.IsNullOrEmpty(shots))
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard-models-governed.png"), FullPage = true });
        }

        // The node goes away: readiness is degraded and the governance alert fires, on the page as in the API.
        world.StopChain();
        string[] names = [];
        for (var i = 0; i < 100 && !names.Contains("PredictiveGovernanceUnreachable"); i++)
        {
            await Task.Delay(100, TestContext.CancellationToken);
            names = [.. (await client.GetObject("/v1/alerts"))["firing"]!.AsArray().Select(a => a!["name"]!.GetValue<string>())];
        }

        CollectionAssert.IsSubsetOf(new[] { "PredictiveReadinessDegraded", "PredictiveGovernanceUnreachable" }, names);
        var degraded = await browser.OpenAsync(new Uri(client.BaseAddress!, "/models"));
        Assert.AreEqual(1, await degraded.Locator("#alerts li[data-alert=PredictiveGovernanceUnreachable]").CountAsync());
        StringAssert.Contains(await degraded.Locator("#governance-degraded").TextContentAsync(), "model registry unreachable");
        Assert.AreEqual("default/1", world.Registry.Current.DefaultKey, "the last verified set keeps serving");
        Assert.IsEmpty(browser.Problems, string.Join(Environment.NewLine, browser.Problems));
    }
}
