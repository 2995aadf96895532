using System.Security.Cryptography;
using System.Text.Json;
using Predictive.Chain.Contracts;
using Predictive.Chain.Governance;
using Predictive.Chain.LocalChain;
using Predictive.Tests.Shared;

namespace Predictive.Cli.Tests;

[TestClass]
public sealed class GovernanceCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "predictive-cli-governance", Guid.NewGuid().ToString("N"));

    public GovernanceCommandTests() => Directory.CreateDirectory(_directory);

    private string ChainFile => Path.Combine(_directory, LocalChainManifest.FileName);

    // A private artifact cache: the shared default cache may hold another checkout's contracts at any moment.
    private string Contracts => Path.Combine(_directory, "contracts");

    [TestMethod]
    public async Task GovernanceFlow_ProposeVoteQueueExecute_RegistryListsTheModelFileActive()
    {
        var model = RepositoryPaths.Combine("models", "default", "1");
        var fileSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(model, "model.onnx"))));
        Assert.AreEqual(0, (await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory, "--contracts", Contracts)).Exit);
        var up = await CliRunner.RunAsync("governance", "up", "--chain", ChainFile, "--contracts", Contracts);
        Assert.AreEqual(0, up.Exit, up.Err);

        var propose = await CliRunner.RunAsync("governance", "propose", "--chain", ChainFile, "--model", model, "--activate", "--json");
        Assert.AreEqual(0, propose.Exit, propose.Err);
        var id = JsonDocument.Parse(propose.Out).RootElement.GetProperty("id").GetString()!;
        var vote = await CliRunner.RunAsync("governance", "vote", id, "for", "--chain", ChainFile, "--advance");
        Assert.AreEqual(0, vote.Exit, vote.Err);
        var early = await CliRunner.RunAsync("governance", "queue", id, "--chain", ChainFile);
        Assert.AreEqual(CliApp.UserError, early.Exit);
        Assert.Contains("Too early", early.Err);
        Assert.AreEqual(0, (await CliRunner.RunAsync("governance", "queue", id, "--chain", ChainFile, "--advance")).Exit);
        Assert.AreEqual(0, (await CliRunner.RunAsync("governance", "execute", id, "--chain", ChainFile, "--advance")).Exit);

        var status = await CliRunner.RunAsync("governance", "status", id, "--chain", ChainFile, "--json");
        Assert.AreEqual("Executed", JsonDocument.Parse(status.Out).RootElement[0].GetProperty("state").GetString());
        var models = await CliRunner.RunAsync("governance", "models", "--chain", ChainFile, "--json");
        Assert.AreEqual(0, models.Exit, models.Err);
        var entry = JsonDocument.Parse(models.Out).RootElement.GetProperty("models").EnumerateArray().Single();
        Assert.AreEqual(fileSha, entry.GetProperty("onnxSha256").GetString());
        Assert.AreEqual("approved", entry.GetProperty("status").GetString());
        Assert.IsTrue(entry.GetProperty("active").GetBoolean());
    }

    [TestMethod]
    public async Task GovernanceUp_ChainWithVault_TimelockIsTheOnlyStrategyAdminGuardianPausesAndFixedTargetsAreRefused()
    {
        Assert.AreEqual(0, (await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory, "--contracts", Contracts)).Exit);

        var up = await CliRunner.RunAsync("governance", "up", "--chain", ChainFile, "--contracts", Contracts);

        Assert.AreEqual(0, up.Exit, up.Err);
        var manifest = LocalChainManifest.Load(ChainFile);
        var governance = manifest.Governance!;
        Assert.Contains($"vault {manifest.Vault}: strategy admin (feeds, limits, whitelists, unpause) is now the Timelock", up.Out);
        var web3 = GovernanceWeb3.ReadOnly(manifest.RpcUrl);
        Task<bool> HasAsync(byte[] role, string account) =>
            web3.Eth.GetContractQueryHandler<HasRoleFunction>().QueryAsync<bool>(manifest.Vault, new HasRoleFunction { Role = role, Account = account });
        Assert.IsTrue(await HasAsync(GovernanceRoles.VaultStrategyAdmin, governance.Timelock));
        Assert.IsFalse(await HasAsync(GovernanceRoles.VaultStrategyAdmin, manifest.Owner));
        Assert.IsTrue(await HasAsync(GovernanceRoles.VaultGuardian, governance.Guardian));
        Assert.IsFalse(await HasAsync(GovernanceRoles.VaultGuardian, manifest.Owner));
        var targets = Path.Combine(_directory, "targets.json");
        File.WriteAllText(targets, """{"weights":{"BTC":0.4,"ETH":0.3,"SOL":0.05,"BNB":0.15,"USDC":0.1}}""");
        var rebalance = await CliRunner.RunAsync("rebalance", "--chain", ChainFile, "--targets", targets, "--policy", "full", "--json");
        Assert.AreEqual(CliApp.UserError, rebalance.Exit, rebalance.Out);
        Assert.Contains($"is governed ({ChainFile} names the ModelRegistry {governance.Registry})", rebalance.Err);
    }

    [TestMethod]
    public async Task Vote_KeystoreAndKeyVariableSigners_CountTheirAccountsVotes()
    {
        Assert.AreEqual(0, (await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory, "--contracts", Contracts)).Exit);
        Assert.AreEqual(0, (await CliRunner.RunAsync("governance", "up", "--chain", ChainFile, "--contracts", Contracts)).Exit);
        var propose = await CliRunner.RunAsync("governance", "propose", "--chain", ChainFile, "--model", RepositoryPaths.Combine("models", "default", "1"), "--json");
        Assert.AreEqual(0, propose.Exit, propose.Err);
        var id = JsonDocument.Parse(propose.Out).RootElement.GetProperty("id").GetString()!;
        var suffix = Guid.NewGuid().ToString("N");
        var (passwordVariable, keyVariable) = ($"PREDICTIVE_TEST_PASSWORD_{suffix}", $"PREDICTIVE_TEST_KEY_{suffix}");
        var voter1 = AnvilDevAccounts.Voters[1];
        var keystore = Path.Combine(_directory, "voter1.json");
        File.WriteAllText(keystore, new Nethereum.KeyStore.KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            "correct horse", voter1.ExportSecret(), voter1.Address.ToString(), new Nethereum.KeyStore.Model.ScryptParams { Dklen = 32, N = 1024, R = 8, P = 1 }));
        Environment.SetEnvironmentVariable(passwordVariable, "correct horse");
        Environment.SetEnvironmentVariable(keyVariable, "0x" + Convert.ToHexStringLower(AnvilDevAccounts.Voters[2].ExportSecret()));
        try
        {
            var both = await CliRunner.RunAsync("governance", "vote", id, "for", "--chain", ChainFile, "--keystore", keystore, "--account", "voter1");
            Assert.AreEqual(CliApp.UserError, both.Exit);
            Assert.Contains("Give one signer", both.Err);

            var byKeystore = await CliRunner.RunAsync("governance", "vote", id, "for", "--chain", ChainFile, "--keystore", keystore, "--password-env", passwordVariable, "--advance");
            Assert.AreEqual(0, byKeystore.Exit, byKeystore.Err);
            var byVariable = await CliRunner.RunAsync("governance", "vote", id, "against", "--chain", ChainFile, "--private-key-env", keyVariable);
            Assert.AreEqual(0, byVariable.Exit, byVariable.Err);
        }
        finally
        {
            Environment.SetEnvironmentVariable(passwordVariable, null);
            Environment.SetEnvironmentVariable(keyVariable, null);
        }

        var status = JsonDocument.Parse((await CliRunner.RunAsync("governance", "status", id, "--chain", ChainFile, "--json")).Out).RootElement[0];
        var supply = new GovernanceSettings().TokenSupply;
        Assert.AreEqual((supply * LocalGovernance.VoterShares[1] / 100).ToString(System.Globalization.CultureInfo.InvariantCulture), status.GetProperty("votesFor").GetString(), "voter1's 30 % through the keystore");
        Assert.AreEqual((supply * LocalGovernance.VoterShares[2] / 100).ToString(System.Globalization.CultureInfo.InvariantCulture), status.GetProperty("votesAgainst").GetString(), "voter2's 20 % through the key variable");
    }

    [TestMethod]
    public async Task Governance_DeadNodeOrDevAccountOnAnotherChainId_UserErrorsNamingTheProblem()
    {
        var manifest = """
            {"rpcUrl":"http://127.0.0.1:1/","chainId":1,"vault":"0x00000000000000000000000000000000000000aa","router":"0x00000000000000000000000000000000000000bb",
             "owner":"0x00000000000000000000000000000000000000cc","keeper":"0x00000000000000000000000000000000000000dd",
             "quoteToken":{"symbol":"USDC","address":"0x00000000000000000000000000000000000000ee","decimals":6},"assets":[],
             "governance":{"token":"0x00000000000000000000000000000000000000a1","governor":"0x00000000000000000000000000000000000000a2","timelock":"0x00000000000000000000000000000000000000a3","registry":"0x00000000000000000000000000000000000000a4","guardian":"0x00000000000000000000000000000000000000a5"}}
            """;
        File.WriteAllText(ChainFile, manifest);

        var unreachable = await CliRunner.RunAsync("governance", "status", "--chain", ChainFile);
        Assert.AreEqual(CliApp.UserError, unreachable.Exit, unreachable.Err);
        Assert.Contains("to http://127.0.0.1:1 failed after", unreachable.Err, "a dead node is a user error naming the node");

        foreach (var account in new[] { Array.Empty<string>(), ["--account", "voter1"] })
        {
            var run = await CliRunner.RunAsync(["governance", "vote", "1", "for", "--chain", ChainFile, .. account]);

            Assert.AreEqual(CliApp.UserError, run.Exit, run.Err);
            Assert.Contains("Chain 1 is not the local chain (31337)", run.Err);
            Assert.Contains("--keystore", run.Err);
        }
    }

    [TestMethod]
    public async Task Propose_NoGovernanceInManifest_SaysToRunGovernanceUp()
    {
        Assert.AreEqual(0, (await CliRunner.RunAsync("chain", "up", "--port", "0", "--out", _directory, "--contracts", Contracts)).Exit);

        var run = await CliRunner.RunAsync("governance", "propose", "--chain", ChainFile, "--model", RepositoryPaths.Combine("models", "default", "1"));

        Assert.AreEqual(CliApp.UserError, run.Exit);
        Assert.Contains("governance up", run.Err);
    }

    public void Dispose()
    {
        if (File.Exists(ChainFile) && LocalChainManifest.Load(ChainFile).Pid is { } pid)
        {
            AnvilProcess.Stop(pid);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open; the temp folder is cleaned later
        }
    }
}
