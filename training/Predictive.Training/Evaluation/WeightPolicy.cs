namespace Predictive.Training.Evaluation;

/// <summary>Chooses the weights of one sample given the weights held before the decision (both one per asset).</summary>
/// <param name="sample">The sample (decision bar).</param>
/// <param name="held">The weights held before the decision: what the backtest's portfolio holds at the bar's close.</param>
/// <param name="weights">Receives the target weights; they must be ≥ 0 and sum to 1.</param>
public delegate void WeightPolicy(int sample, ReadOnlySpan<float> held, Span<float> weights);
