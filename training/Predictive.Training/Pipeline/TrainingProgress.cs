namespace Predictive.Training.Pipeline;

/// <summary>One progress report, sent after every epoch.</summary>
/// <param name="Stage">What is being trained, for example <c>fold 2/4</c> or <c>final</c>.</param>
/// <param name="StageIndex">The stage number, from 0 (folds first, then the final model).</param>
/// <param name="StageCount">The number of stages.</param>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="Epochs">The most epochs this stage may run (early stopping may end it sooner).</param>
/// <param name="Loss">The mean training loss of the epoch.</param>
/// <param name="ValidationSharpe">Annualized net Sharpe on the stage's validation tail after this epoch.</param>
/// <param name="BestValidationSharpe">The best validation Sharpe so far in this stage.</param>
/// <param name="StoppedEarly">Whether early stopping ends the stage after this epoch.</param>
public sealed record TrainingProgress(
    string Stage,
    int StageIndex,
    int StageCount,
    int Epoch,
    int Epochs,
    double Loss,
    double ValidationSharpe,
    double BestValidationSharpe,
    bool StoppedEarly)
{
    /// <summary>Overall completion in [0, 1], counting every stage as equal and every epoch as equal within it.</summary>
    public double Fraction => StoppedEarly
        ? (StageIndex + 1.0) / StageCount
        : (StageIndex + ((double)Epoch / Epochs)) / StageCount;
}
