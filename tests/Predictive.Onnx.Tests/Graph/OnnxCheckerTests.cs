using Predictive.Onnx.Tests.Support;
using Predictive.Tests.Shared;

namespace Predictive.Onnx.Tests.Graph;

/// <summary>
/// Outside validation: the official ONNX checker (Debian's python3-onnx, installed by
/// eng/install-python-deps.sh) must accept what the writer produces, with full shape inference.
/// </summary>
[TestClass]
public sealed class OnnxCheckerTests
{
    [TestMethod]
    public void CheckModel_WrittenGraphs_PassOfficialChecker()
    {
        OnnxChecker.RequireModule();
        var directory = Directory.CreateTempSubdirectory("predictive-onnx-check-").FullName;
        try
        {
            var allocator = Path.Combine(directory, "allocator.onnx");
            var trees = Path.Combine(directory, "trees.onnx");
            SomeModels.Allocator().WithContractMetadata().Build().Save(allocator);
            SomeModels.TwoStumps().Build().Save(trees);

            var (exitCode, output) = OnnxChecker.Check(allocator, trees);

            Assert.AreEqual(0, exitCode, output);
            Assert.Contains("ok " + trees, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
