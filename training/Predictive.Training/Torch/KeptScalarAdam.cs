using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// Adam (β₁ 0.9, β₂ 0.999, ε 1e-8, optional L2 weight decay; no AMSGrad), computed with the same libtorch operations in
/// the same order as TorchSharp 0.107's <c>torch.optim.Adam</c>, so it gives the same parameters bit for bit, but with
/// every scalar operand an explicit <see cref="Scalar"/> that stays alive until its operation returns.
/// </summary>
/// <remarks>
/// TorchSharp's own <c>Adam.step</c> converts its hyperparameters to temporary scalars and passes their native handles
/// without keeping the objects alive; a collection on another thread of the process (the operator's scheduler, its
/// database clients) can finalize such a scalar, freeing its native value, while libtorch still reads it. libtorch then
/// reads freed memory and fails (<c>Expected false to be true</c> from <c>Scalar::toFloat</c>) or computes with garbage.
/// See <see cref="AllocatorNetwork"/> for the same rule in the networks.
/// </remarks>
public sealed class KeptScalarAdam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _mean;
    private readonly Tensor[] _square;
    private readonly long[] _steps;
    private readonly double _learningRate;
    private readonly double _weightDecay;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> with zero moments.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="weightDecay">The L2 penalty added to each gradient (0 for none).</param>
    public KeptScalarAdam(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        _mean = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _square = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _steps = new long[_parameters.Length];
        _learningRate = learningRate;
        _weightDecay = weightDecay;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            _ = grad?.zero_();
        }
    }

    /// <summary>One Adam update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var rest1 = (1 - Beta1).ToScalar();
        using var rest2 = (1 - Beta2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var decay = _weightDecay.ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            var step = ++_steps[i];
            var correction1 = 1 - Math.Pow(Beta1, step);
            var correction2 = 1 - Math.Pow(Beta2, step);
            if (_weightDecay != 0)
            {
                grad = grad.add(parameter, decay);
            }

            _mean[i].mul_(beta1).add_(grad, rest1);
            _square[i].mul_(beta2).addcmul_(grad, grad.conj(), rest2);
            using var root = Math.Sqrt(correction2).ToScalar();
            var denominator = _square[i].sqrt().div(root).add_(epsilon, one);
            using var stepSize = (-(_learningRate / correction1)).ToScalar();
            parameter.addcdiv_(_mean[i], denominator, stepSize);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _mean.Concat(_square))
        {
            t.Dispose();
        }
    }
}
