using Microsoft.ML.OnnxRuntime;

namespace Predictive.Onnx.Inference;

/// <summary>The ONNX Runtime session settings every served allocator model uses.</summary>
public static class OnnxSessions
{
    /// <summary>
    /// Creates session options tuned for latency: one intra-op and one inter-op thread (allocator graphs are tiny, so a
    /// thread pool costs more in hand-offs than it saves, and the server already runs requests in parallel), sequential
    /// execution, and every graph optimization.
    /// </summary>
    public static SessionOptions CreateOptions()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return options;
    }
}
