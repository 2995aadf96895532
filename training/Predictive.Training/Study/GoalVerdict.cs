using System.Globalization;
using Predictive.Core.Allocation;

namespace Predictive.Training.Study;

/// <summary>A classical allocator on the same blocks, backtester, costs and policy as the learned models.</summary>
/// <param name="Name">The allocator (<see cref="Allocators.Names"/>).</param>
/// <param name="Outcome">Its figures (per fold, chained, intervals, holdings).</param>
/// <param name="Fallbacks">Decisions where it could not allocate and held 1/N instead.</param>
public sealed record ClassicalOutcome(string Name, SeedOutcome Outcome, int Fallbacks);

/// <summary>
/// Issue 22's goal, checked plainly: a learned model (or ensemble) beats both 1/N and the best classical allocator by at
/// least <see cref="RequiredMargin"/> net Sharpe over all folds chained, with a deflated Sharpe ratio above
/// <see cref="RequiredDeflated"/>, and at every seed of its members.
/// </summary>
/// <param name="Candidate">What is judged.</param>
/// <param name="Sharpe">Its chained out-of-sample Sharpe.</param>
/// <param name="EqualWeightSharpe">1/N's on the same blocks.</param>
/// <param name="BestClassical">The classical allocator (1/N aside) with the highest chained Sharpe.</param>
/// <param name="BestClassicalSharpe">Its Sharpe.</param>
/// <param name="WorstSeedSharpe">The lowest chained Sharpe of the candidate's member seeds.</param>
/// <param name="Seeds">How many member seeds.</param>
/// <param name="DeflatedSharpe">The candidate's deflated Sharpe ratio.</param>
/// <param name="Trials">The trials it is deflated by.</param>
/// <param name="Met">Whether every condition holds.</param>
/// <param name="Statement">The verdict in one sentence, with every figure it checked.</param>
public sealed record GoalVerdict(string Candidate, double Sharpe, double EqualWeightSharpe, string BestClassical, double BestClassicalSharpe, double WorstSeedSharpe, int Seeds, double DeflatedSharpe, int Trials, bool Met, string Statement)
{
    /// <summary>The net Sharpe the candidate must add over 1/N and over the best classical allocator.</summary>
    public const double RequiredMargin = 0.2;

    /// <summary>
    /// How far under <see cref="RequiredMargin"/> a margin may fall and still count as reaching it: 1e-9, far below the
    /// three decimals the verdict prints and far above the rounding of a difference of two Sharpe ratios
    /// (1.69 − 1.49 is 0.19999999999999996 in doubles, which must read as +0.200 and pass).
    /// </summary>
    public const double MarginTolerance = 1e-9;

    /// <summary>The deflated Sharpe ratio the candidate must exceed.</summary>
    public const double RequiredDeflated = 0.95;

    /// <summary>The classical allocator other than 1/N with the highest chained Sharpe, or null when there is none.</summary>
    public static ClassicalOutcome? Best(IReadOnlyList<ClassicalOutcome> classical)
    {
        ArgumentNullException.ThrowIfNull(classical);
        return classical.Where(c => c.Name != "equal").MaxBy(c => c.Outcome.Overall.Sharpe);
    }

    /// <summary>Judges <paramref name="candidate"/>.</summary>
    /// <param name="candidate">Its name.</param>
    /// <param name="sharpe">Its chained out-of-sample Sharpe.</param>
    /// <param name="seedSharpes">Each member seed's chained Sharpe (the candidate itself when it is one seed).</param>
    /// <param name="equalWeightSharpe">1/N on the same blocks.</param>
    /// <param name="classical">The classical allocators on the same blocks.</param>
    /// <param name="deflatedSharpe">The candidate's deflated Sharpe ratio.</param>
    /// <param name="trials">The trials it is deflated by.</param>
    public static GoalVerdict Judge(string candidate, double sharpe, IReadOnlyList<double> seedSharpes, double equalWeightSharpe, IReadOnlyList<ClassicalOutcome> classical, double deflatedSharpe, int trials)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(seedSharpes);
        if (seedSharpes.Count == 0)
        {
            throw new ArgumentException("the verdict needs at least one member seed's Sharpe.", nameof(seedSharpes));
        }

        var best = Best(classical);
        var bestSharpe = best?.Outcome.Overall.Sharpe ?? double.NaN;
        var bar = Math.Max(equalWeightSharpe, best is null ? double.NegativeInfinity : bestSharpe);
        var worst = seedSharpes.Min();
        var beatsEqual = Reaches(sharpe - equalWeightSharpe);
        var beatsClassical = best is not null && Reaches(sharpe - bestSharpe);
        var everySeed = Reaches(worst - bar);
        var deflated = deflatedSharpe > RequiredDeflated;
        var met = beatsEqual && beatsClassical && everySeed && deflated;
        var c = CultureInfo.InvariantCulture;
        var statement = string.Create(c, $"goal {(met ? "MET" : "NOT met")} by {candidate}: Sharpe {sharpe:F3}, {sharpe - equalWeightSharpe:+0.000;-0.000} over 1/N ({equalWeightSharpe:F3}) {Mark(beatsEqual)}, ")
            + (best is null
                ? "no classical allocator to compare (✗), "
                : string.Create(c, $"{sharpe - bestSharpe:+0.000;-0.000} over the best classical allocator, {best.Name} ({bestSharpe:F3}) {Mark(beatsClassical)}, "))
            + string.Create(c, $"worst of {seedSharpes.Count} seed(s) {worst:F3}, {worst - bar:+0.000;-0.000} over the better of the two {Mark(everySeed)}, ")
            + string.Create(c, $"deflated Sharpe {deflatedSharpe:F3} over {trials} trials {Mark(deflated)}; the goal needs ≥ +{RequiredMargin:F1} on each and DSR > {RequiredDeflated:F2}.");
        return new GoalVerdict(candidate, sharpe, equalWeightSharpe, best?.Name ?? "none", bestSharpe, worst, seedSharpes.Count, deflatedSharpe, trials, met, statement);
    }

    private static bool Reaches(double margin) => margin >= RequiredMargin - MarginTolerance;

    private static string Mark(bool ok) => ok ? "(✓)" : "(✗)";
}
