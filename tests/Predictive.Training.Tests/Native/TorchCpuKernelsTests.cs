using System.Text.RegularExpressions;
using Predictive.Tests.Shared;
using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Native;

[TestClass]
public sealed class TorchCpuKernelsTests
{
    /// <summary>
    /// This test process was pinned before its first torch operation (<see cref="TorchKernelPin"/>), whatever
    /// ATEN_CPU_CAPABILITY it was started with; libtorch's own answer must be the pinned set. On an AVX-512 CPU the
    /// unpinned answer is avx512, so this fails there if the pin did not reach libtorch's getenv.
    /// </summary>
    [TestMethod]
    public void Active_AfterPinBeforeFirstOperation_IsAvx2()
    {
        Assert.AreEqual("avx2", TorchCpuKernels.Active());
        Assert.AreEqual("avx2", TorchCpuKernels.EnsurePinned());
    }

    [TestMethod]
    [DataRow("avx512")]
    [DataRow("default")]
    [DataRow("")]
    public void Require_OtherKernelSet_RefusesNamingBoth(string active)
    {
        var ex = Assert.ThrowsExactly<TorchKernelException>(() => TorchCpuKernels.Require(active));

        Assert.Contains($"'{active}' CPU kernels", ex.Message);
        Assert.Contains("pinned 'avx2'", ex.Message);
        Assert.Contains("not written", ex.Message);
    }

    [TestMethod]
    public void LibTorchVersion_ThisBuild_IsTheRestoredLibTorchPackage()
    {
        // The libtorch package NuGet restored for the training project, read from its assets file.
        var assets = File.ReadAllText(RepositoryPaths.Combine("training", "Predictive.Training", "obj", "project.assets.json"));
        var restored = Regex.Match(assets, "\"libtorch-cpu-linux-x64/([0-9.]+)\"");
        Assert.IsTrue(restored.Success, "libtorch-cpu-linux-x64 is in the training project's restore graph");

        Assert.AreEqual(restored.Groups[1].Value, TorchCpuKernels.LibTorchVersion());
    }
}
