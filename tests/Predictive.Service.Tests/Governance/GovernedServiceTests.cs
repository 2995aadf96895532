using System.Net;
using Predictive.Onnx.Registry;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Governance;

[TestClass]
public sealed class GovernedServiceTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Lifecycle_ExecutedApproval_ServiceLoadsItAsDefault()
    {
        await using var world = await GovernedWorld.StartAsync();
        world.Folder.Add("default", "1", TestModels.Linear(1f));
        world.StartService();
        Assert.IsTrue(await world.EventuallyAsync(s => s.Refused.Any(r => r.Key == "default/1" && r.Reason == "not approved on chain")), "refused before the vote");
        Assert.IsEmpty(world.Registry.Current.Loaded);

        var executed = await world.ApproveAsync("default", "1");
        Assert.IsFalse(await world.EventuallyAsync(s => s.Loaded.Count > 0, TimeSpan.FromSeconds(1)), "not loaded before the approval is confirmations deep");
        await world.Clock.MineAsync(GovernedWorld.Confirmations);

        Assert.IsTrue(await world.EventuallyAsync(s => s.DefaultKey == "default/1"), "serves once the approval is confirmed");
        TestContext.WriteLine($"approval executed at block {executed}");
    }

    [TestMethod]
    public async Task Unapproved_CopiedIntoFolder_NeverLoadsAcrossReloadAndRestart()
    {
        await using var world = await GovernedWorld.StartAsync();
        await world.ServeApprovedDefaultAsync();

        world.Folder.Add("default", "2", TestModels.Linear(2f));
        var reload = await world.Service.AdminClient().PostAsync(new Uri("/v1/models/reload", UriKind.Relative), null);
        Assert.AreEqual(HttpStatusCode.OK, reload.StatusCode);
        Assert.IsFalse(world.Registry.Current.Loaded.ContainsKey("default/2"));
        Assert.AreEqual("not approved on chain", world.Registry.Current.Refused.Single(r => r.Key == "default/2").Reason);

        world.StartService(); // a restart: a new host over the same folder and chain
        Assert.IsTrue(await world.EventuallyAsync(s => s.DefaultKey == "default/1"));
        Assert.IsFalse(world.Registry.Current.Loaded.ContainsKey("default/2"));
        Assert.AreEqual(RefusalStages.Governance, world.Registry.Current.Refused.Single(r => r.Key == "default/2").Stage);
    }

    [TestMethod]
    public async Task Revoked_ActiveModel_UnloadedWithinTwoBlocksOfFinalityAndNoDefault()
    {
        await using var world = await GovernedWorld.StartAsync();
        await world.ServeApprovedDefaultAsync();

        var revokedAt = await world.RevokeAsync("default", "1");
        Assert.IsFalse(await world.EventuallyAsync(s => !s.Loaded.ContainsKey("default/1"), TimeSpan.FromSeconds(1)), "a revocation counts once it is confirmations deep");
        await world.Clock.MineAsync(GovernedWorld.Confirmations); // the revocation is final now
        var blocksAfterFinal = -1;
        for (var extra = 0; extra <= 2; extra++)
        {
            if (await world.EventuallyAsync(s => !s.Loaded.ContainsKey("default/1"), TimeSpan.FromSeconds(3)))
            {
                blocksAfterFinal = extra;
                break;
            }

            await world.Clock.MineAsync(1);
        }

        TestContext.WriteLine($"revoked at block {revokedAt}; unloaded {blocksAfterFinal} block(s) after final");
        Assert.IsGreaterThanOrEqualTo(0, blocksAfterFinal, "unloaded within 2 blocks after the revocation is final");
        Assert.IsNull(world.Registry.Current.DefaultKey, "no other version is active: the documented fallback is none");
    }

    [TestMethod]
    public async Task NodeOutage_LastVerifiedSetKeepsServing_ReadinessDegradedAndNewFileRefused()
    {
        await using var world = await GovernedWorld.StartAsync();
        await world.ServeApprovedDefaultAsync();

        world.StopChain();
        var client = world.Service.Client();
        string body = "";
        for (var i = 0; i < 100 && !body.Contains("Degraded", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            body = await (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).Content.ReadAsStringAsync();
        }

        Assert.Contains("Degraded", body);
        world.Folder.Add("other", "1", TestModels.Linear(3f));
        await world.Service.AdminClient().PostAsync(new Uri("/v1/models/reload", UriKind.Relative), null);
        Assert.AreEqual("default/1", world.Registry.Current.DefaultKey);
        Assert.IsFalse(world.Registry.Current.Loaded.ContainsKey("other/1"));
    }

    [TestMethod]
    public async Task AdminActivate_GovernedMode_Conflict()
    {
        await using var world = await GovernedWorld.StartAsync();
        await world.ServeApprovedDefaultAsync();

        var response = await world.Service.AdminClient().PostAsync(new Uri("/v1/models/default/1/activate", UriKind.Relative), null);

        Assert.AreEqual(HttpStatusCode.Conflict, response.StatusCode);
    }
}
