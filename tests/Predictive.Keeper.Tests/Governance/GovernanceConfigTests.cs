using System.Text.Json;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Tests.Governance;

[TestClass]
public sealed class GovernanceConfigTests : IDisposable
{
    private const string Registry = "0x0000000000000000000000000000000000000A11";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "predictive-keeper-governance-config", Guid.NewGuid().ToString("N"));

    public GovernanceConfigTests() => Directory.CreateDirectory(_directory);

    [TestMethod]
    public void Load_ChainWithGovernanceAndNoSection_GovernedByItsRegistryWithDefaults()
    {
        var settings = KeeperConfigLoader.Load(Write(governedChain: true, governance: null, model: null));

        var governance = settings.Vaults[0].Governance;
        Assert.IsNotNull(governance, "a vault whose chain.json names governance is governed");
        Assert.AreEqual(Registry, governance.Registry.ToString(), ignoreCase: true);
        Assert.AreEqual("default", governance.Model);
        Assert.AreEqual(2, governance.Confirmations);
    }

    [TestMethod]
    public void Load_UngovernedChainAndNoSection_Ungoverned()
    {
        var settings = KeeperConfigLoader.Load(Write(governedChain: false, governance: null, model: "default/1"));

        Assert.IsNull(settings.Vaults[0].Governance);
        Assert.AreEqual("default/1", settings.Vaults[0].Model, "ungoverned keeps a pinned name/version as before");
    }

    [TestMethod]
    public void Load_GovernedWithLocalModelPathOrPinnedVersion_RefusedNamingTheField()
    {
        foreach (var model in new[] { "models/default/1", "default/1", "../x" })
        {
            var e = Assert.ThrowsExactly<KeeperConfigException>(() => KeeperConfigLoader.Load(Write(governedChain: true, governance: null, model: model)));

            Assert.HasCount(1, e.Errors, e.Message);
            Assert.StartsWith("vaults[0].model:", e.Errors[0]);
            Assert.Contains("governed mode", e.Errors[0]);
        }
    }

    [TestMethod]
    public void Load_GovernanceSectionWrong_OneErrorPerField()
    {
        var e = Assert.ThrowsExactly<KeeperConfigException>(() =>
            KeeperConfigLoader.Load(Write(governedChain: true, governance: new { registry = "0x0000000000000000000000000000000000000B22", confirmations = -1 }, model: null)));

        Assert.IsTrue(e.Errors.Any(l => l.StartsWith("governance.confirmations:", StringComparison.Ordinal)), e.Message);
        Assert.IsTrue(e.Errors.Any(l => l.StartsWith("governance.registry:", StringComparison.Ordinal) && l.Contains("is not the registry of", StringComparison.Ordinal)), e.Message);
    }

    [TestMethod]
    public void Load_SectionOnUngovernedChainWithoutRegistry_RegistryRequired()
    {
        var e = Assert.ThrowsExactly<KeeperConfigException>(() => KeeperConfigLoader.Load(Write(governedChain: false, governance: new { confirmations = 3 }, model: null)));

        Assert.IsTrue(e.Errors.Any(l => l.StartsWith("governance.registry: required", StringComparison.Ordinal)), e.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(bool governedChain, object? governance, string? model)
    {
        var chain = Path.Combine(_directory, "chain.json");
        var governanceJson = governedChain
            ? $$""","governance":{"token":"0x00000000000000000000000000000000000000a1","governor":"0x00000000000000000000000000000000000000a2","timelock":"0x00000000000000000000000000000000000000a3","registry":"{{Registry}}","guardian":"0x00000000000000000000000000000000000000a4"}"""
            : string.Empty;
        File.WriteAllText(chain, $$"""
            {"rpcUrl":"http://127.0.0.1:8545/","chainId":31337,"vault":"0x00000000000000000000000000000000000000aa","router":"0x00000000000000000000000000000000000000bb",
             "owner":"0x00000000000000000000000000000000000000cc","keeper":"0x00000000000000000000000000000000000000dd",
             "quoteToken":{"symbol":"USDC","address":"0x00000000000000000000000000000000000000ee","decimals":6,"feed":"0x00000000000000000000000000000000000000f1"},
             "assets":[{"symbol":"BTC","address":"0x00000000000000000000000000000000000000ff","decimals":8,"pool":"0x0000000000000000000000000000000000000101","price":30000,"feed":"0x0000000000000000000000000000000000000102"}]{{governanceJson}}}
            """);
        var vault = new Dictionary<string, object?>
        {
            ["name"] = "main", ["chain"] = chain, ["chainId"] = 31337, ["vault"] = "0x00000000000000000000000000000000000000aa",
            ["marketData"] = new { source = "synthetic" },
        };
        if (model is not null)
        {
            vault["model"] = model;
        }

        var config = new Dictionary<string, object?> { ["serviceUrl"] = "http://127.0.0.1:5080/", ["key"] = new { dev = true }, ["vaults"] = new[] { vault } };
        if (governance is not null)
        {
            config["governance"] = governance;
        }

        var path = Path.Combine(_directory, "keeper.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }
}
