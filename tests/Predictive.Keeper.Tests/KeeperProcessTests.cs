using System.Text.Json;
using Predictive.Chain.Transactions;
using Predictive.Keeper.Tests.Support;

namespace Predictive.Keeper.Tests;

/// <summary>The real <c>predictive keeper run</c> processes: one driver per vault, and a clean stop on SIGTERM.</summary>
[TestClass]
public sealed class KeeperProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static TargetsService? s_service;
    private static Uri? s_url;

    [ClassInitialize]
    public static void StartService(TestContext _)
    {
        s_service = new TargetsService();
        s_url = s_service.Start();
    }

    [ClassCleanup]
    public static void StopService() => s_service?.Dispose();

    [TestMethod]
    public async Task KeeperRun_SecondKeeperOnALeasedVault_WaitsOrExitsNamingTheHolderUntilTheFirstStops()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        var exitConfig = world.WriteConfig(new Dictionary<string, object?> { ["onLeaseHeld"] = "exit" });
        var waitConfig = world.WriteConfig(new Dictionary<string, object?> { ["onLeaseHeld"] = "wait" }, path: Path.Combine(world.Directory, "keeper-wait.json"));
        using var first = KeeperWorld.Spawn("keeper", "run", "--config", exitConfig);
        var started = JsonDocument.Parse(await first.WaitForLineAsync(l => l.Contains("\"keeper-started\""), Timeout)).RootElement;
        var owner = started.GetProperty("owner").GetString()!;
        await first.WaitForLineAsync(l => l.Contains("\"event\":\"pass\""), Timeout);

        using (var exiting = KeeperWorld.Spawn("keeper", "run", "--config", exitConfig))
        {
            Assert.AreEqual(4, await exiting.WaitForExitAsync(Timeout), "exit code 4: the lease is held");
            Assert.Contains("driven by another keeper", exiting.Err);
            Assert.Contains(owner, exiting.Err, "the message names the holder");
            Assert.IsFalse(exiting.Out.Any(l => l.Contains("\"event\":\"pass\"")), "the second keeper ran no pass");
        }

        using (var waiting = KeeperWorld.Spawn("keeper", "run", "--config", waitConfig))
        {
            var held = JsonDocument.Parse(await waiting.WaitForLineAsync(l => l.Contains("\"lease-held\""), Timeout)).RootElement;
            Assert.AreEqual(owner, held.GetProperty("holder").GetString());
            waiting.Terminate();
            Assert.AreEqual(0, await waiting.WaitForExitAsync(Timeout));
            Assert.IsFalse(waiting.Out.Any(l => l.Contains("\"event\":\"pass\"")), "the waiting keeper ran no pass");
        }

        first.Terminate();
        Assert.AreEqual(0, await first.WaitForExitAsync(Timeout), first.Err);
        Assert.Contains("\"keeper-stopped\"", first.Out[^1]);

        using var second = KeeperWorld.Spawn("keeper", "run", "--config", exitConfig, "--rounds", "1");
        Assert.AreEqual(0, await second.WaitForExitAsync(Timeout), second.Err);
        Assert.IsTrue(second.Out.Any(l => l.Contains("\"event\":\"pass\"")), "the lease was released on stop, so the next keeper drives the vault");
    }

    [TestMethod]
    public async Task KeeperRun_SigtermWhileASwapAwaitsConfirmations_FinishesItSignsNothingMoreAndTheNextRunCompletesTheSlot()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        // Two confirmations on an automining chain: each swap waits for a block the test mines, so SIGTERM lands mid-pass.
        var config = world.WriteConfig(new Dictionary<string, object?> { ["confirmations"] = 2 });
        var settings = world.Settings();
        using var keeper = KeeperWorld.Spawn("keeper", "run", "--config", config);
        using var cts = new CancellationTokenSource(Timeout);
        while (!KeeperWorld.Journal(settings).Any(e => e.Attempts.Count > 0))
        {
            await Task.Delay(50, cts.Token);
        }

        keeper.Terminate();
        var exit = Task.Run(() => keeper.WaitForExitAsync(Timeout));
        while (!exit.IsCompleted)
        {
            await world.Client.RequestAsync("evm_mine", []);
            await Task.Delay(100, cts.Token);
        }

        Assert.AreEqual(0, await exit, keeper.Err);
        var pass = JsonDocument.Parse(keeper.Out.Single(l => l.Contains("\"event\":\"pass\""))).RootElement;
        Assert.AreEqual("stopped", pass.GetProperty("outcome").GetString());
        var journal = KeeperWorld.Journal(settings);
        Assert.IsFalse(journal.Any(e => e.Attempts.Count > 0 && !e.IsFinished), "no intent is signed and left unfinished");
        Assert.AreEqual(1, journal.Count(e => e.Step == ExecutionStep.Confirmed), "the swap in flight was confirmed");
        Assert.AreEqual(1, journal.Count(e => !e.IsFinished), "the next intent was journaled and stopped before signing");

        var resumed = KeeperWorld.Spawn("keeper", "run", "--config", world.WriteConfig(), "--rounds", "1");
        using (resumed)
        {
            Assert.AreEqual(0, await resumed.WaitForExitAsync(Timeout), resumed.Err);
        }

        journal = KeeperWorld.Journal(settings);
        Assert.IsTrue(journal.All(e => e.IsFinished), "the next run finished the slot's remaining legs");
        Assert.IsTrue(journal.All(e => e.Attempts.Count == 1), "no intent was signed twice");
    }
}
