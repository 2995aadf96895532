using Predictive.Onnx.Inference;

namespace Predictive.Onnx.Registry;

/// <summary>A reference to a model taken for one request; disposing it releases the reference.</summary>
public sealed class ModelLease : IDisposable
{
    private int _disposed;

    internal ModelLease(OnnxAllocatorModel model) => Model = model;

    /// <summary>The model, usable until the lease is disposed.</summary>
    public OnnxAllocatorModel Model { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Model.Release();
        }
    }
}
