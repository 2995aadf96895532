using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Nethereum.Contracts;
using Predictive.Chain.Governance;
using Predictive.Chain.LocalChain;
using Predictive.Cli;
using Predictive.Keeper.Tests.Support;

namespace Predictive.Keeper.Tests.Governance;

/// <summary>
/// Keeper-side governance on anvil with the real service on Kestrel: the keeper reads the ModelRegistry itself and
/// trades only targets of the model version the chain says is active, with the SHA-256 the chain holds for it.
/// </summary>
[TestClass]
public sealed class GovernedKeeperTests
{
    public TestContext TestContext { get; set; } = null!;

    private static string BundledModel => Path.Combine(TargetsService.ModelsDirectory, "default", "1");

    [TestMethod]
    public async Task Lifecycle_ProposeVoteQueueExecute_ServiceServesItAndTheKeeperTradesFromIt()
    {
        await using var world = await GovernedKeeperWorld.StartAsync();
        var service = world.StartService();
        world.WriteConfig(service);
        using var keeper = await KeeperHarness.CreateAsync(world.World);

        var before = await keeper.PassAsync();
        Assert.AreEqual("refused", before.Outcome, before.Explanation);
        Assert.Contains("no active version of model 'default'", before.Explanation);
        Assert.IsEmpty(before.Swaps);

        var watch = Stopwatch.StartNew();
        var blockBefore = await world.Clock.BlockNumberAsync();
        var candidate = ModelCandidate.FromDirectory(BundledModel);
        var (proposal, proposed) = await world.Governance.ProposeModelAsync(candidate, activate: true, "Lifecycle test");
        var executed = await LocalGovernance.PassAsync(world.Governance, world.Clock, proposal);
        await world.Clock.MineAsync(GovernedKeeperWorld.Confirmations);
        var lifecycle = watch.Elapsed;
        Assert.IsTrue(await world.ServiceEventuallyAsync(s => s.DefaultKey == "default/1"), "the governed service serves the executed model");
        var served = watch.Elapsed;

        var after = await keeper.PassAsync();
        var traded = watch.Elapsed;

        var fileSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(BundledModel, "model.onnx"))));
        Assert.AreEqual("trade", after.Outcome, after.Explanation);
        Assert.AreEqual("default/1", after.Model);
        Assert.AreEqual(fileSha, after.ModelSha256, "the traded targets name the SHA-256 of the approved file");
        Assert.IsNotEmpty(after.Swaps);
        var blocks = await world.Clock.BlockNumberAsync() - blockBefore;
        TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lifecycle (propose → vote → queue → execute → {GovernedKeeperWorld.Confirmations} confirmations) {lifecycle.TotalMilliseconds:F0} ms over {blocks} blocks; served at {served.TotalMilliseconds:F0} ms; keeper traded at {traded.TotalMilliseconds:F0} ms; gas propose {proposed.GasUsed.Value}, execute {executed.GasUsed.Value}"));
    }

    [TestMethod]
    public async Task Pass_TargetsShaNotTheActiveOne_RefusedAndNothingTraded()
    {
        await using var world = await GovernedKeeperWorld.StartAsync();
        // The chain approves and activates default/1 with another file's hash; an ungoverned service serves the bundled file.
        var approved = ModelCandidate.FromDirectory(BundledModel) with { OnnxSha256 = SHA256.HashData("another model file"u8) };
        var (proposal, _) = await world.Governance.ProposeModelAsync(approved, activate: true);
        await LocalGovernance.PassAsync(world.Governance, world.Clock, proposal);
        await world.Clock.MineAsync(GovernedKeeperWorld.Confirmations);
        world.WriteConfig(world.StartService(governed: false));
        using var keeper = await KeeperHarness.CreateAsync(world.World);

        var record = await keeper.PassAsync();

        Assert.AreEqual("refused", record.Outcome, record.Explanation);
        Assert.Contains(Convert.ToHexStringLower(approved.OnnxSha256), record.Explanation, "names the registry's hash");
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(BundledModel, "model.onnx")))), record.Explanation, "names the served file's hash");
        Assert.IsEmpty(record.Swaps);
        Assert.IsEmpty(KeeperWorld.Journal(keeper.Settings), "no swap intent was journaled");
    }

    [TestMethod]
    public async Task Pass_ActiveVersionRevokedWhileAnUngovernedServiceStillServesIt_RefusedOnceTheRevocationIsConfirmed()
    {
        await using var world = await GovernedKeeperWorld.StartAsync();
        var (approve, _) = await world.Governance.ProposeModelAsync(ModelCandidate.FromDirectory(BundledModel), activate: true);
        await LocalGovernance.PassAsync(world.Governance, world.Clock, approve);
        await world.Clock.MineAsync(GovernedKeeperWorld.Confirmations);
        world.WriteConfig(world.StartService(governed: false));
        using var keeper = await KeeperHarness.CreateAsync(world.World);
        var approved = await keeper.PassAsync();
        Assert.AreEqual("default/1", approved.Model, approved.Explanation);

        var revoke = new RegistryRevokeFunction { ModelId = ModelCandidate.ModelIdOf("default"), Version = 1 }.GetCallData();
        var (proposal, _) = await world.Governance.ProposeAsync([world.Manifest.Governance!.Registry], [revoke], "Revoke default/1");
        await LocalGovernance.PassAsync(world.Governance, world.Clock, proposal);
        await world.Clock.MineAsync(GovernedKeeperWorld.Confirmations);
        var nonce = await world.World.Client.GetTransactionCountAsync(AnvilDevAccounts.Keeper.Address);

        var revoked = await keeper.PassAsync(); // the service still answers default/1; the keeper asks the chain

        Assert.AreEqual("refused", revoked.Outcome, revoked.Explanation);
        Assert.Contains("no active version of model 'default'", revoked.Explanation);
        Assert.IsEmpty(revoked.Swaps);
        Assert.AreEqual(nonce, await world.World.Client.GetTransactionCountAsync(AnvilDevAccounts.Keeper.Address), "the keeper sent nothing");
    }

    [TestMethod]
    public async Task Rebalance_GovernedChainWithTargetsFileOrLocalModel_RefusedNamingTheRegistry()
    {
        await using var world = await GovernedKeeperWorld.StartAsync();
        var targets = Path.Combine(world.World.Directory, "targets.json");
        File.WriteAllText(targets, """{"weights":{"BTC":0.4,"ETH":0.3,"SOL":0.05,"BNB":0.15,"USDC":0.1}}""");
        var keeperNonce = await world.World.Client.GetTransactionCountAsync(AnvilDevAccounts.Keeper.Address);

        foreach (var args in new[] { new[] { "--targets", targets }, ["--model", BundledModel] })
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await CliApp.RunAsync(["rebalance", "--chain", world.World.ChainFile, .. args, "--policy", "full"], stdout, stderr, TimeProvider.System);

            Assert.AreEqual(CliApp.UserError, exit, $"{args[0]}: {stdout}");
            Assert.Contains("is governed", stderr.ToString());
            Assert.Contains(world.Manifest.Governance!.Registry, stderr.ToString());
        }

        Assert.AreEqual(keeperNonce, await world.World.Client.GetTransactionCountAsync(AnvilDevAccounts.Keeper.Address), "the keeper sent nothing");
    }
}
