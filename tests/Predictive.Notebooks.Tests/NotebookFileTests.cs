using System.Text.Json.Nodes;

namespace Predictive.Notebooks.Tests;

/// <summary>The notebooks as committed: Polyglot C# metadata, no executed outputs, and each one run by a test.</summary>
[TestClass]
public sealed class NotebookFileTests
{
    public static IEnumerable<object[]> Notebooks => Directory.GetFiles(NotebookRunner.Folder, "*.ipynb").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [TestMethod]
    public void Folder_AsCommitted_HoldsAtLeastThreeNotebooksEachRunByATest()
    {
        var names = Notebooks.Select(n => (string)n[0]).ToList();
        Assert.IsGreaterThanOrEqualTo(3, names.Count);
        var tested = typeof(NotebookTests).GetMethods().Where(m => m.IsDefined(typeof(TestMethodAttribute), false)).Select(m => m.Name).ToList();
        foreach (var name in names)
        {
            // 01-data-and-features.ipynb is run by DataAndFeatures_…
            var stem = string.Concat(Path.GetFileNameWithoutExtension(name)[3..].Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.IsTrue(tested.Any(t => t.StartsWith(stem + "_", StringComparison.Ordinal)), $"{name} has no test named {stem}_… in NotebookTests");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Notebooks))]
    public void Notebook_AsCommitted_IsPolyglotCSharpWithoutOutputs(string name)
    {
        var nb = JsonNode.Parse(File.ReadAllText(Path.Combine(NotebookRunner.Folder, name)))!;

        Assert.AreEqual(".net-csharp", nb["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.AreEqual("polyglot-notebook", nb["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        var code = nb["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.IsGreaterThanOrEqualTo(3, code.Count);
        foreach (var cell in code)
        {
            Assert.AreEqual("csharp", cell!["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
            Assert.IsEmpty(cell["outputs"]!.AsArray(), "executed outputs are not committed");
            Assert.IsNull(cell["execution_count"]?.GetValue<int?>(), "executed outputs are not committed");
        }
    }
}
