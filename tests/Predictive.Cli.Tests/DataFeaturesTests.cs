using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Predictive.Core.Features;
using Predictive.Core.Synthetic;

namespace Predictive.Cli.Tests;

/// <summary><c>predictive data features</c>: the SHA-256 of the default feature frame, and what it holds across.</summary>
[TestClass]
public sealed class DataFeaturesTests
{
    [TestMethod]
    public async Task DataFeatures_Synthetic_PrintsSha256OfValuesThenAvailability()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("data", "features", "synthetic", "--seed", "42", "--json");

        Assert.AreEqual(0, exit, stderr);
        var frame = FeatureBuilder.Build(SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 42 }), FeatureSpec.Default);
        var bytes = new List<byte>(MemoryMarshal.AsBytes(frame.Values).ToArray());
        for (var bar = 0; bar < frame.BarCount; bar++)
        {
            for (var asset = 0; asset < frame.AssetCount; asset++)
            {
                bytes.Add(frame.IsAvailable(bar, asset) ? (byte)1 : (byte)0);
            }
        }

        using var doc = JsonDocument.Parse(stdout);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())), doc.RootElement.GetProperty("sha256").GetString());
        Assert.AreEqual(frame.BarCount, doc.RootElement.GetProperty("bars").GetInt32());
        Assert.AreEqual(frame.FeatureCount, doc.RootElement.GetProperty("features").GetInt32());
    }

    /// <summary>
    /// The bulk builder's vectorized logs (<c>Vector.Log</c>) give the same bits whether or not the runtime may use
    /// AVX-512: a fresh process with <c>DOTNET_EnableAVX512F=0</c> hashes the full default frame of the synthetic market
    /// to the same SHA-256 as this one. On a CPU without AVX-512 both runs take the same path and agree trivially.
    /// </summary>
    [TestMethod]
    public async Task DataFeatures_Avx512DisabledInChildProcess_SameSha256()
    {
        var here = await CliRunner.RunAsync("data", "features", "synthetic", "--json");
        var child = await CliRunner.RunChildAsync(new Dictionary<string, string> { ["DOTNET_EnableAVX512F"] = "0" }, "data", "features", "synthetic", "--json");

        Assert.AreEqual(0, here.Exit, here.Err);
        Assert.AreEqual(0, child.Exit, child.Err);
        using var a = JsonDocument.Parse(here.Out);
        using var b = JsonDocument.Parse(child.Out);
        Assert.AreEqual(a.RootElement.GetProperty("sha256").GetString(), b.RootElement.GetProperty("sha256").GetString());
    }
}
