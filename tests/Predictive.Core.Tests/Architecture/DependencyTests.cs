using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.Architecture;

/// <summary>Core stays pure .NET: the heavy stacks (ML, ONNX, chain crypto, web, scheduling) live in other projects.</summary>
[TestClass]
public sealed class DependencyTests
{
    private static readonly string[] Forbidden =
        ["TorchSharp", "Microsoft.ML", "Microsoft.ML.OnnxRuntime", "BouncyCastle.Cryptography", "Quartz", "Microsoft.AspNetCore", "Google.Protobuf", "ScottPlot", "Npgsql"];

    [TestMethod]
    public void CoreAssembly_References_NoHeavyDependency()
    {
        var references = typeof(PricePanel).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        foreach (var name in references)
        {
            Assert.IsFalse(Forbidden.Any(f => name.StartsWith(f, StringComparison.Ordinal)), $"Predictive.Core references {name}.");
        }

        Assert.IsTrue(references.Any(r => r.StartsWith("System.", StringComparison.Ordinal)), "the check sees the real reference list");
    }
}
