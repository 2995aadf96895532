namespace Predictive.Operator.History;

/// <summary>What a job leaves in <c>context.Result</c> for the run history: a one-line message, the model it concerned and its metrics.</summary>
/// <param name="Message">What happened, in a sentence.</param>
/// <param name="ModelSha256">The SHA-256 of the model the run trained, evaluated, promoted or traded with, if any.</param>
/// <param name="Metrics">Numbers worth keeping (seconds, Sharpe ratios, the decision's statistics).</param>
public sealed record JobReport(string Message, string? ModelSha256 = null, IReadOnlyDictionary<string, double>? Metrics = null);
