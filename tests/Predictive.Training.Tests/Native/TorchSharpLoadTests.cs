using static TorchSharp.torch;

namespace Predictive.Training.Tests.Native;

/// <summary>
/// Proves the native TorchSharp library loads and trains here. On Debian 12 this fails with
/// "GLIBCXX_3.4.32 not found" unless the build patched the output copy (eng/libtorch).
/// </summary>
[TestClass]
public sealed class TorchSharpLoadTests
{
    [TestMethod]
    public void MatMulBackward_SmallTensors_GradientMatchesHandComputation()
    {
        using var scope = NewDisposeScope();
        // y = sum(x @ w); dy/dw[i, j] = sum over rows of x[:, i].
        var x = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var w = tensor(new float[] { 0.5f, -1f, 2f, 0.25f }, [2, 2], requires_grad: true);

        var y = x.matmul(w).sum();
        y.backward();

        // x @ w = [[1*0.5 + 2*2, 1*-1 + 2*0.25], [3*0.5 + 4*2, 3*-1 + 4*0.25]] = [[4.5, -0.5], [9.5, -2]].
        Assert.AreEqual(11.5f, y.item<float>(), 1e-6f);
        var grad = w.grad!.data<float>().ToArray();
        CollectionAssert.AreEqual(new float[] { 4, 4, 6, 6 }, grad);
    }

    [TestMethod]
    public void SgdStep_LinearRegression_LossDecreases()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var x = randn(64, 3);
        var trueW = tensor(new float[] { 1.5f, -2f, 0.5f }, [3, 1]);
        var target = x.matmul(trueW);
        var w = nn.Parameter(zeros(3, 1));
        var optimizer = optim.SGD([w], learningRate: 0.1);

        float first = 0, last = 0;
        for (var step = 0; step < 50; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(x.matmul(w), target);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.IsLessThan(first / 100, last, $"loss went from {first} to {last}");
    }
}
