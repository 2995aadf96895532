namespace Predictive.Notebooks.Tests;

/// <summary>Every notebook runs from top to bottom against the built library, and computes what it claims.</summary>
[TestClass]
[DoNotParallelize]
public sealed class NotebookTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task DataAndFeatures_RunsEveryCell_FeaturesShowNoLookAhead()
    {
        using var nb = await NotebookRunner.RunAsync("01-data-and-features.ipynb", TestContext.CancellationToken);

        Assert.AreEqual(400, nb.Value<int>("barCount"));
        Assert.AreEqual(13, nb.Value<int>("featureCount"));
        Assert.AreEqual(0.0, nb.Value<double>("lookAheadMaxDifference"));
        Assert.IsGreaterThan(0.0, nb.Value<double>("leakyMaxDifference"));
    }
}
