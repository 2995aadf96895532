using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Registry;

[TestClass]
public sealed class BaselineModelTests
{
    /// <summary>
    /// Builds the baseline model and checks the registry accepts it. With PREDICTIVE_WRITE_BASELINE_TO=&lt;models dir&gt;
    /// it also writes it there (how models/baseline/0.1.0 was made).
    /// </summary>
    [TestMethod]
    public void Build_BaselineModel_LoadsAndAllocatesLongOnly()
    {
        using var folder = new ModelsFolder().Add(BaselineModel.Name, BaselineModel.Version, BaselineModel.Build());
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);

        var snapshot = registry.Reload().Snapshot;

        Assert.IsEmpty(snapshot.Refused);
        var model = snapshot.Default!;
        Assert.AreEqual(BaselineModel.Spec.Features.Count, model.FeatureCount);
        var features = new float[2 * model.FeatureCount];
        features[model.FeatureSpec.IndexOf("momentum_90")] = 0.3f;
        var weights = BatchAllocator.Allocate(model, [new PortfolioInput(features, new float[] { 0.5f, 0.5f })])[0];
        Assert.IsTrue(weights[0] > weights[1], "more momentum, more weight");

        var target = Environment.GetEnvironmentVariable("PREDICTIVE_WRITE_BASELINE_TO");
        if (!string.IsNullOrEmpty(target))
        {
            ModelPackage.Write(Path.Combine(target, BaselineModel.Name, BaselineModel.Version), BaselineModel.Build(), BaselineModel.Name, BaselineModel.Version);
        }
    }
}
