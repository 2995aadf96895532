using System.Text.Json;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Tests;

[TestClass]
public sealed class KeeperConfigTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "predictive-keeper-config", Guid.NewGuid().ToString("N"));

    public KeeperConfigTests() => Directory.CreateDirectory(_directory);

    [TestMethod]
    public void Load_EveryFieldWrong_OneErrorNamingEachField()
    {
        var path = Write("""
            {"serviceUrl":"ftp://x","key":{"dev":true,"privateKeyEnv":"K"},"maxBaseFeeGwei":-1,"confirmations":0,"leaseSeconds":1,"onLeaseHeld":"later",
             "vaults":[{"name":"a b","chain":"missing.json","chainId":0,"vault":"0x123","intervalSeconds":0,"policy":"sometimes","marketData":{}}]}
            """);

        var e = Assert.ThrowsExactly<KeeperConfigException>(() => KeeperConfigLoader.Load(path));

        foreach (var field in new[]
        {
            "serviceUrl:", "maxBaseFeeGwei:", "confirmations:", "leaseSeconds:", "onLeaseHeld:", "key:", "vaults[0].chain:", "vaults[0].vault:",
            "vaults[0].chainId:", "vaults[0].name:", "vaults[0].intervalSeconds:", "vaults[0].marketData.source:", "vaults[0].policy:",
        })
        {
            Assert.IsTrue(e.Errors.Any(l => l.StartsWith(field, StringComparison.Ordinal)), $"no error names {field}: {e.Message}");
        }
    }

    [TestMethod]
    public void Load_TriggerAndMarketDataOptionsWrong_OneErrorNamingEachField()
    {
        var path = Write("""
            {"serviceUrl":"http://127.0.0.1:1/","key":{"dev":true},"vaults":[
              {"name":"a","chain":"missing.json","chainId":31337,"vault":"0x00000000000000000000000000000000000000aa","trigger":"sometimes","blocks":0,"pollMilliseconds":1,
               "marketData":{"source":"exchange","interval":"7q","baseUrl":"ftp://x","quoteAsset":""}},
              {"name":"b","chain":"missing.json","chainId":31337,"vault":"0x00000000000000000000000000000000000000aa",
               "marketData":{"source":"chain","barSeconds":0,"finalityBlocks":-1,"maxBlockRange":0}}]}
            """);

        var e = Assert.ThrowsExactly<KeeperConfigException>(() => KeeperConfigLoader.Load(path));

        foreach (var field in new[]
        {
            "vaults[0].trigger:", "vaults[0].blocks:", "vaults[0].pollMilliseconds:", "vaults[0].marketData.interval:", "vaults[0].marketData.baseUrl:",
            "vaults[0].marketData.quoteAsset:", "vaults[1].marketData.barSeconds:", "vaults[1].marketData.finalityBlocks:", "vaults[1].marketData.maxBlockRange:",
        })
        {
            Assert.IsTrue(e.Errors.Any(l => l.StartsWith(field, StringComparison.Ordinal)), $"no error names {field}: {e.Message}");
        }
    }

    [TestMethod]
    public void Load_UnknownField_NamesIt()
    {
        var path = Write("""{"serviceUrl":"http://127.0.0.1:1/","vaults":[{"rpcUrll":"http://x"}]}""");

        var e = Assert.ThrowsExactly<KeeperConfigException>(() => KeeperConfigLoader.Load(path));

        Assert.Contains("vaults[0].rpcUrll", e.Message);
    }

    [TestMethod]
    public void Load_DevKeyOnAChainOtherThanAnvil_RefusedNamingTheVaultAndChainId()
    {
        var chain = Path.Combine(_directory, "chain.json");
        File.WriteAllText(chain, """
            {"rpcUrl":"http://127.0.0.1:8545/","chainId":1,"vault":"0x00000000000000000000000000000000000000aa","router":"0x00000000000000000000000000000000000000bb",
             "owner":"0x00000000000000000000000000000000000000cc","keeper":"0x00000000000000000000000000000000000000dd",
             "quoteToken":{"symbol":"USDC","address":"0x00000000000000000000000000000000000000ee","decimals":6,"feed":"0x00000000000000000000000000000000000000f1"},
             "assets":[{"symbol":"BTC","address":"0x00000000000000000000000000000000000000ff","decimals":8,"pool":"0x0000000000000000000000000000000000000101","price":30000,"feed":"0x0000000000000000000000000000000000000102"}]}
            """);
        var path = Write(JsonSerializer.Serialize(new
        {
            serviceUrl = "http://127.0.0.1:5080/",
            key = new { dev = true },
            vaults = new[] { new { name = "main", chain = chain, chainId = 1, vault = "0x00000000000000000000000000000000000000aa", marketData = new { source = "synthetic" } } },
        }));

        var e = Assert.ThrowsExactly<KeeperConfigException>(() => KeeperConfigLoader.Load(path));

        Assert.HasCount(1, e.Errors);
        Assert.StartsWith("key.dev:", e.Errors[0]);
        Assert.Contains("'main'", e.Errors[0]);
        Assert.Contains("chain id 1", e.Errors[0]);
    }

    [TestMethod]
    public void KeySource_PrivateKeyVariableUnset_NamesTheVariableNotTheSecret()
    {
        var e = Assert.ThrowsExactly<KeeperConfigException>(() => KeySource.Load(new KeySourceConfig { PrivateKeyEnv = "KEEPER_KEY_FOR_TEST" }, _ => null));

        Assert.Contains("KEEPER_KEY_FOR_TEST is not set", e.Message);
    }

    [TestMethod]
    public void KeySource_PrivateKeyVariable_LoadsThatKey()
    {
        const string Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

        var key = KeySource.Load(new KeySourceConfig { PrivateKeyEnv = "K" }, v => v == "K" ? Hex : null);

        Assert.AreEqual(Chain.LocalChain.AnvilDevAccounts.Keeper.Address, key.Address);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, "keeper.json");
        File.WriteAllText(path, json);
        return path;
    }
}
