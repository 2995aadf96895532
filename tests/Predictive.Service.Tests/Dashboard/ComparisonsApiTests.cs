using System.Net;
using Predictive.Service.Dashboard.Comparisons;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Dashboard;

/// <summary>How the service finds and reads results.json files that may be missing, damaged, huge or odd.</summary>
[TestClass]
public sealed class ComparisonsApiTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Comparison_NonFiniteAndMissingNumbers_NullInApiAndColumnKept()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "results.json"), """
            {"title": "odd", "description": "d", "strategies": [
              {"allocator": "a", "policy": "p", "sharpe": "NaN", "costs": 2, "tracking_error": 0.1},
              {"allocator": "b", "policy": "p", "sharpe": 1.5, "costs": 1, "tracking_error": "Infinity"},
              {"allocator": "c", "policy": "p", "costs": 3, "tracking_error": 0.05}
            ]}
            """, TestContext.CancellationToken);
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        await using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?> { ["Predictive:Dashboard:Comparisons:0"] = dir.Path });
        using var client = factory.Client();

        var id = (await client.GetObject("/v1/comparisons"))["results"]![0]!["id"]!.GetValue<string>();
        var results = await client.GetObject($"/v1/comparisons/{id}");

        CollectionAssert.AreEqual(new[] { "sharpe", "costs", "tracking_error" }, results["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray());
        var rows = results["rows"]!.AsArray();
        Assert.IsNull(rows[0]!["values"]!["sharpe"], "NaN");
        Assert.AreEqual(1.5, rows[1]!["values"]!["sharpe"]!.GetValue<double>());
        Assert.IsNull(rows[1]!["values"]!["tracking_error"], "Infinity");
        Assert.IsNull(rows[2]!["values"]!["sharpe"], "missing");

        // a (cost 2, 0.1) and c (cost 3, 0.05): neither beats the other on both; b has no finite tracking error, so it is off.
        CollectionAssert.AreEqual(new[] { true, false, true }, rows.Select(r => r!["onFrontier"]!.GetValue<bool>()).ToArray());
    }

    [TestMethod]
    public async Task Comparisons_MissingHugeAndUnknown_ListedWithReasonOr404()
    {
        using var dir = new TempDir();
        var huge = Path.Combine(dir.Path, "huge", "results.json");
        Directory.CreateDirectory(Path.GetDirectoryName(huge)!);
        await using (var stream = File.Create(huge))
        {
            stream.SetLength(ComparisonSource.MaxBytes + 1);
        }

        var missing = Path.Combine(dir.Path, "not-there");
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        await using var factory = new ServiceFactory(folder.Path, new Dictionary<string, string?>
        {
            ["Predictive:Dashboard:Comparisons:0"] = dir.Path,
            ["Predictive:Dashboard:Comparisons:1"] = missing,
        });
        using var client = factory.Client();

        var list = (await client.GetObject("/v1/comparisons"))["results"]!.AsArray();
        Assert.HasCount(2, list);
        Assert.AreEqual(huge, list[0]!["path"]!.GetValue<string>());
        StringAssert.Contains(list[0]!["error"]!.GetValue<string>(), $"more than the {ComparisonSource.MaxBytes} read");
        Assert.AreEqual(missing, list[1]!["path"]!.GetValue<string>());
        StringAssert.Contains(list[1]!["error"]!.GetValue<string>(), "neither a results.json file nor a folder");

        var hugeId = list[0]!["id"]!.GetValue<string>();
        await (await client.GetAsync(new Uri($"/v1/comparisons/{hugeId}", UriKind.Relative), TestContext.CancellationToken)).ReadObject(HttpStatusCode.UnprocessableEntity);
        await (await client.GetAsync(new Uri("/v1/comparisons/0123456789abcdef", UriKind.Relative), TestContext.CancellationToken)).ReadObject(HttpStatusCode.NotFound);
        await (await client.GetAsync(new Uri("/v1/models/nope/1", UriKind.Relative), TestContext.CancellationToken)).ReadObject(HttpStatusCode.NotFound);
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("predictive-comparisons-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
