using Predictive.Training.Data;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Support;

/// <summary>Training options the pipeline tests share.</summary>
internal static class SmallTraining
{
    /// <summary>An ensemble of seeds 3 and 8 under the pool cost with the penalty: 5 assets × 700 bars, 2 folds, 2 epochs, hidden 8.</summary>
    public static TrainingOptions Ensemble(string directory) => new()
    {
        Panel = TestMarkets.Synthetic(5, 700),
        Epochs = 2,
        Hidden = 8,
        ValidationSize = 60,
        WalkForward = new WalkForwardOptions { Folds = 2, MinTrainSize = 250 },
        OutDir = directory,
        Cost = TrainingCostKind.Pool,
        TurnoverPenalty = 1,
        EnsembleSeeds = [3, 8],
    };
}
