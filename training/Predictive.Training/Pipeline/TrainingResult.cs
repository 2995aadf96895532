using Predictive.Onnx.Manifest;
using Predictive.Research.Metrics;

namespace Predictive.Training.Pipeline;

/// <summary>One walk-forward fold's outcome; all metrics are out of sample, from Core's backtester under the real cost model.</summary>
/// <param name="Index">The fold number, from 0.</param>
/// <param name="TrainRange">Training data range (UTC, <c>start/end</c>), validation tail included.</param>
/// <param name="TestRange">Test data range (UTC, <c>start/end</c>).</param>
/// <param name="BestEpoch">The epoch whose parameters were kept.</param>
/// <param name="EpochsRun">Epochs run before early stopping or the limit.</param>
/// <param name="Validation">The kept parameters on the fold's validation tail.</param>
/// <param name="Test">The model on the test block.</param>
/// <param name="EqualWeightTest">Equal weights over available assets on the test block, under the same policy and costs, for comparison.</param>
public sealed record FoldResult(int Index, string TrainRange, string TestRange, int BestEpoch, int EpochsRun, PerformanceMetrics? Validation, PerformanceMetrics Test, PerformanceMetrics EqualWeightTest);

/// <summary>What <see cref="TrainingRunner.Run"/> produced.</summary>
/// <param name="Folds">Per-fold results (empty when the walk-forward evaluation was skipped).</param>
/// <param name="Overall">All test blocks chained (<see cref="PerformanceMetrics.Chain"/>: each block starts from cash and pays its entry); null without folds.</param>
/// <param name="EqualWeightOverall">The equal-weight benchmark over the same blocks; null without folds.</param>
/// <param name="FinalTrainingRange">The final model's training range (UTC), validation tail excluded.</param>
/// <param name="FinalValidationRange">The tail the final model early-stopped on (UTC).</param>
/// <param name="FinalValidation">The final model's metrics on that tail.</param>
/// <param name="FinalBestEpoch">The epoch the final model's parameters come from.</param>
/// <param name="ArtifactDirectory">Where <c>model.onnx</c> and <c>model.json</c> were written; null when nothing was written.</param>
/// <param name="Manifest">The manifest written, or null.</param>
public sealed record TrainingResult(
    IReadOnlyList<FoldResult> Folds,
    PerformanceMetrics? Overall,
    PerformanceMetrics? EqualWeightOverall,
    string FinalTrainingRange,
    string FinalValidationRange,
    PerformanceMetrics? FinalValidation,
    int FinalBestEpoch,
    string? ArtifactDirectory,
    ModelManifest? Manifest);
