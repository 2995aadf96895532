using Predictive.Training.Evaluation;
namespace Predictive.Training.Gbm;

/// <summary>
/// Settings of the gradient-boosted-tree allocator: the two FastTree regressors (next-period return and
/// next-period volatility), the weight rule and the walk-forward cost model. Ranges are checked by <see cref="Validate"/>.
/// </summary>
public sealed record GbmOptions
{
    /// <summary>Seed for ML.NET (<c>MLContext(seed)</c> and the trainers). <value>The default value is 42.</value></summary>
    public int Seed { get; init; } = 42;

    /// <summary>Boosting rounds per regressor, 1 to 10,000. <value>The default value is 100.</value></summary>
    public int Trees { get; init; } = 100;

    /// <summary>Maximum leaves per tree, 2 to 1,024. <value>The default value is 16.</value></summary>
    public int Leaves { get; init; } = 16;

    /// <summary>Shrinkage applied to each tree, in (0, 1]. <value>The default value is 0.05.</value></summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Fewest training rows a leaf may hold, at least 1. <value>The default value is 50.</value></summary>
    public int MinExamplesPerLeaf { get; init; } = 50;

    /// <summary>
    /// Threads FastTree may use. One keeps training bit-for-bit reproducible for a seed on any machine.
    /// <value>The default value is 1.</value>
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Bars ahead whose log return is the return label (1 = next bar), 1 to 1,000. <value>The default value is 1.</value></summary>
    public int ReturnHorizon { get; init; } = 1;

    /// <summary>
    /// Bars ahead over which realized volatility (root mean square of log returns) is the volatility label, 1 to 1,000.
    /// With 1 it is the absolute next-bar log return. <value>The default value is 5.</value>
    /// </summary>
    public int VolatilityHorizon { get; init; } = 5;

    /// <summary>Softmax temperature of the weight rule, &gt; 0; lower concentrates the portfolio. <value>The default value is 1.</value></summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>
    /// Floor on the predicted per-bar volatility before dividing by it, &gt; 0: trees can predict values near or
    /// below zero. <value>The default value is 1e-3.</value>
    /// </summary>
    public double VolatilityFloor { get; init; } = 1e-3;

    /// <summary>
    /// How the walk-forward folds are judged: Core's backtester with the real cost model and a rebalancing policy.
    /// <value>The default value is <see cref="EvaluationOptions.Default"/> (cost-aware band).</value>
    /// </summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.Default;

    /// <summary>Bars whose labels reach into the future of a row: training rows this close to a test fold are purged.</summary>
    public int LabelWindow => Math.Max(ReturnHorizon, VolatilityHorizon);

    /// <summary>Throws unless every setting is in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Names the setting, its value and the allowed range.</exception>
    public GbmOptions Validate()
    {
        Check(Trees is >= 1 and <= 10_000, nameof(Trees), Trees, "1 to 10000");
        Check(Leaves is >= 2 and <= 1024, nameof(Leaves), Leaves, "2 to 1024");
        Check(LearningRate > 0 && LearningRate <= 1, nameof(LearningRate), LearningRate, "(0, 1]");
        Check(MinExamplesPerLeaf >= 1, nameof(MinExamplesPerLeaf), MinExamplesPerLeaf, "at least 1");
        Check(Threads is >= 1 and <= 256, nameof(Threads), Threads, "1 to 256");
        Check(ReturnHorizon is >= 1 and <= 1000, nameof(ReturnHorizon), ReturnHorizon, "1 to 1000");
        Check(VolatilityHorizon is >= 1 and <= 1000, nameof(VolatilityHorizon), VolatilityHorizon, "1 to 1000");
        Check(double.IsFinite(Temperature) && Temperature > 0, nameof(Temperature), Temperature, "finite and > 0");
        Check(double.IsFinite(VolatilityFloor) && VolatilityFloor > 0, nameof(VolatilityFloor), VolatilityFloor, "finite and > 0");
        ArgumentNullException.ThrowIfNull(Evaluation, nameof(Evaluation));
        Evaluation.Validate();
        return this;
    }

    private static void Check(bool ok, string name, object value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"GbmOptions.{name} is {value}; expected {range}.");
        }
    }
}
