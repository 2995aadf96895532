using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Native;

/// <summary>
/// Pins libtorch's CPU kernel set before any test touches TorchSharp: several tests call torch directly, and libtorch
/// chooses its kernels at the first operation of the process, so without this the training tests that write models
/// would find the machine's own choice and refuse.
/// </summary>
[TestClass]
public static class TorchKernelPin
{
    [AssemblyInitialize]
    public static void PinBeforeAnyTorchOperation(TestContext context) => TorchCpuKernels.Pin();
}
