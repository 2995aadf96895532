using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Hosting;

[TestClass]
public sealed class KeeperJobTests
{
    [TestMethod]
    public async Task KeeperJob_NoActiveModel_RecordedPerVaultWithoutAPass()
    {
        using var folder = new TempFolder();
        var settings = OperatorHarness.QuickSettings(folder);
        settings["Operator:Keeper:Vaults:0:Name"] = "alpha";
        settings["Operator:Keeper:Vaults:0:Chain"] = folder.Combine("chain.json");
        settings["Operator:Keeper:Vaults:0:IntervalSeconds"] = "5";
        settings["Operator:Keeper:Vaults:1:Name"] = "beta";
        settings["Operator:Keeper:Vaults:1:Chain"] = folder.Combine("chain.json");
        await using var op = await OperatorHarness.StartAsync(settings);
        await op.WaitAsync(async () => await op.FinishedAsync("keeper-alpha") && await op.FinishedAsync("keeper-beta"), TimeSpan.FromSeconds(60), "both vaults' keeper runs");

        foreach (var vault in new[] { "alpha", "beta" })
        {
            var run = (await op.Runs.ListAsync(10, $"keeper-{vault}", CancellationToken.None)).First(r => r.Outcome != RunOutcome.Running);
            Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, run.Error);
            Assert.AreEqual($"keeper-{vault}-interval", run.Trigger);
            StringAssert.Contains(run.Message, $"vault {vault}: no active model");
            Assert.IsNull(run.ModelSha256);
        }
    }
}
