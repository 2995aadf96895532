using System.Globalization;
using Predictive.Core.Allocation;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Rebalancing.Policies;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>What the decision of one bar is about: the holdings to decide for, the assets, the target and the risk model.</summary>
/// <param name="Holdings">What is held (after any trade the clock made before the decision).</param>
/// <param name="Assets">Symbols in weight order.</param>
/// <param name="TargetWeights">The allocator's target over <paramref name="Assets"/>.</param>
/// <param name="Risk">The risk model over <paramref name="Assets"/>, when one was estimated.</param>
public sealed record StepTargets(Holdings Holdings, IReadOnlyList<string> Assets, double[] TargetWeights, RiskEstimate? Risk);

/// <summary>What a pending plan's due slices did before the decision.</summary>
/// <param name="Holdings">What is held after them.</param>
/// <param name="Result">The slices sent, or the note of why they were not; null when none were due.</param>
/// <param name="Guards">The guards' results on the due slices (empty when none were due or there are no guards).</param>
public sealed record DueSlices(Holdings Holdings, PlanExecution? Result, IReadOnlyList<GuardResult> Guards)
{
    /// <summary>Whether a guard stopped the slices.</summary>
    public bool GuardFired => Guards.Any(g => g.Fired);
}

/// <summary>One bar for the composition.</summary>
public sealed record RebalanceStepInput
{
    /// <summary>The bar index (policies count bars with it; plan slices fall due by it).</summary>
    public required int Bar { get; init; }

    /// <summary>What is held now.</summary>
    public required Holdings Holdings { get; init; }

    /// <summary>The venue now (<see cref="RebalancePipeline.SnapshotAsync"/>).</summary>
    public required VenueSnapshot Market { get; init; }

    /// <summary>Earlier snapshots, oldest first: rebuilt from the data in a backtest, kept in <see cref="PipelineState"/> live.</summary>
    public required IReadOnlyList<VenueSnapshot> History { get; init; }

    /// <summary>
    /// The targets and risk model of the bar, given what the due slices did (a backtest also sells holdings of assets
    /// that trade again here, unless a guard fired).
    /// </summary>
    public required Func<DueSlices, CancellationToken, Task<StepTargets>> Targets { get; init; }

    /// <summary>The first investment of a fresh portfolio: an unguarded full rebalance instead of the policy.</summary>
    public bool Initial { get; init; }
}

/// <summary>What one bar did.</summary>
/// <param name="Decision">The policy's decision with every guard's result.</param>
/// <param name="SliceGuards">The guards' results on the due slices of a pending plan (empty when none were due).</param>
/// <param name="Slices">The due slices sent, or the note of why they were not (null when none were due).</param>
/// <param name="Plan">The new plan, when the decision traded.</param>
/// <param name="Trades">The new plan's first swaps, when the decision traded.</param>
/// <param name="Holdings">What is held after the bar.</param>
public sealed record RebalanceStep(RebalanceDecision Decision, IReadOnlyList<GuardResult> SliceGuards, PlanExecution? Slices, TradePlan? Plan, PlanExecution? Trades, Holdings Holdings)
{
    /// <summary>Every fill of the bar, slices first.</summary>
    public IEnumerable<SwapFill> Fills => (Slices?.Fills ?? []).Concat(Trades?.Fills ?? []);
}

/// <summary>
/// The one composition the backtester and the live keeper both run, bar by bar: market snapshot (reference prices
/// through <see cref="IReferencePriceSource"/>) → risk estimate → targets → <see cref="GuardedPolicy"/>(policy, guards)
/// → <see cref="TradePlanner"/> → due slices and new swaps through the <see cref="PlanExecutor"/> → venue. Only the
/// clock (which bar it is, and where earlier bars come from) and the venue differ. Guards look at the current market
/// before every trade: before a pending plan's due slices are sent, and around every new decision.
/// </summary>
public sealed class RebalancePipeline
{
    private readonly IVenue _venue;
    private readonly IReferencePriceSource? _reference;
    private readonly IReadOnlyList<ITradeGuard> _guards;
    private readonly IRebalancingPolicy _policy;
    private readonly FullRebalancePolicy _initial;

    /// <summary>Creates the composition over <paramref name="venue"/>.</summary>
    /// <param name="venue">Where swaps go.</param>
    /// <param name="options">Policy, guards, costs, planner limits, benefit model.</param>
    /// <param name="reference">
    /// Where reference prices come from; null keeps the venue's own (a simulated venue's are the data's closes). With a
    /// source, a <see cref="ReferenceHygieneGuard"/> runs first among the guards unless the options list one.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public RebalancePipeline(IVenue venue, RebalancePipelineOptions options, IReferencePriceSource? reference = null)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _venue = venue;
        _reference = reference;
        Options = options;
        Costs = new SwapCostModel(options.Costs);
        Planner = new TradePlanner(Costs, options.Planner);
        Executor = new PlanExecutor(venue, Costs, Planner.Options);
        var economics = new RebalanceEconomics(Planner, options.Benefit);
        // Prices from a source can be refused by it (oracle hygiene); its verdict is a guard like the others.
        _guards = reference is null || options.Guards.OfType<ReferenceHygieneGuard>().Any()
            ? [.. options.Guards]
            : [new ReferenceHygieneGuard(), .. options.Guards];
        _policy = options.Policy.Create(economics, _guards);
        _initial = new FullRebalancePolicy(economics);
    }

    /// <summary>The options.</summary>
    public RebalancePipelineOptions Options { get; }

    /// <summary>The cost model.</summary>
    public SwapCostModel Costs { get; }

    /// <summary>The planner (also the policies' cost estimator).</summary>
    public TradePlanner Planner { get; }

    /// <summary>The executor of due swaps.</summary>
    public PlanExecutor Executor { get; }

    /// <summary>The venue now, with reference prices from the source when there is one.</summary>
    /// <exception cref="InvalidOperationException">The reference source has no prices at the snapshot's time.</exception>
    public async Task<VenueSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await _venue.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (_reference is null)
        {
            return snapshot;
        }

        var row = await _reference.GetAsync(snapshot.Time, cancellationToken).ConfigureAwait(false);
        return snapshot.WithReferencePrices(row.Prices, row.Faults);
    }

    /// <summary>
    /// One bar: the guards check the due slices of <paramref name="state"/>'s pending plan against the current market
    /// and they are sent only if none fired; then the targets, the guarded decision, and a new plan whose first swaps
    /// are sent (later slices become the pending plan).
    /// </summary>
    public async Task<RebalanceStep> StepAsync(RebalanceStepInput input, PipelineState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(state);
        var holdings = input.Holdings;
        var market = input.Market;
        IReadOnlyList<GuardResult> sliceGuards = [];
        PlanExecution? slices = null;
        var due = state.Pending is { } p && p.IsDueAt(input.Bar) ? p : null;
        if (due is not null)
        {
            var offset = input.Bar - due.Bar;
            sliceGuards = CheckSlices(due.Plan.Due(offset).ToList(), input, holdings);
            var fired = sliceGuards.Where(g => g.Fired).ToList();
            slices = fired.Count == 0
                ? await Executor.ExecuteAsync(due.Plan, offset, holdings, market, cancellationToken).ConfigureAwait(false)
                : new PlanExecution(holdings, [], [Blocked(due.Plan, offset, fired)]);
            holdings = slices.Holdings;
        }

        var targets = await input.Targets(new DueSlices(holdings, slices, sliceGuards), cancellationToken).ConfigureAwait(false);
        holdings = targets.Holdings;
        var context = new RebalanceContext
        {
            Bar = input.Bar,
            Assets = targets.Assets,
            CurrentWeights = holdings.Weights(targets.Assets, market),
            TargetWeights = targets.TargetWeights,
            PortfolioValueQuote = holdings.ValueQuote(market),
            Market = market,
            Risk = targets.Risk,
            History = input.History,
        };
        var decision = input.Initial ? Initial(context) : _policy.Decide(context);
        TradePlan? plan = null;
        PlanExecution? trades = null;
        if (decision.Trade)
        {
            // A new decision supersedes slices still pending from an older plan.
            plan = Planner.Plan(market, holdings, targets.Assets, decision.NewWeights);
            state.Pending = plan.BarCount > 1 ? new PendingPlan(plan, input.Bar) : null;
            trades = await Executor.ExecuteAsync(plan, 0, holdings, market, cancellationToken).ConfigureAwait(false);
            holdings = trades.Holdings;
        }
        else if (due is not null && input.Bar - due.Bar >= due.Plan.BarCount - 1)
        {
            state.Pending = null;
        }

        return new RebalanceStep(decision, sliceGuards, slices, plan, trades, holdings);
    }

    private RebalanceDecision Initial(RebalanceContext context)
    {
        var decision = _initial.Decide(context);
        return decision with { Explanation = "initial investment of the starting cash in the first target: " + decision.Explanation };
    }

    /// <summary>Every guard on the assets the due slices trade (each counted as targeted, so every guard looks at it).</summary>
    private List<GuardResult> CheckSlices(List<PlannedSwap> swaps, RebalanceStepInput input, Holdings holdings)
    {
        if (_guards.Count == 0 || swaps.Count == 0)
        {
            return [];
        }

        var quote = input.Market.QuoteAsset;
        var assets = swaps.SelectMany(s => new[] { s.Order.AssetIn, s.Order.AssetOut }).Where(a => a != quote).Distinct(StringComparer.Ordinal).ToArray();
        var context = new RebalanceContext
        {
            Bar = input.Bar,
            Assets = assets,
            CurrentWeights = holdings.Weights(assets, input.Market),
            TargetWeights = [.. assets.Select(_ => 1.0)],
            PortfolioValueQuote = holdings.ValueQuote(input.Market),
            Market = input.Market,
            History = input.History,
        };
        return [.. _guards.Select(g => g.Check(context))];
    }

    private static string Blocked(TradePlan plan, int offset, List<GuardResult> fired)
    {
        var swaps = string.Join(", ", plan.Due(offset).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Order.AssetIn}→{s.Order.AssetOut} slice {s.Slice + 1} of {s.SliceCount}")));
        var why = string.Join("; ", fired.Select(f => $"{f.Guard}: {f.Detail}"));
        return $"{swaps} not sent: blocked by guard ({why}).";
    }
}
