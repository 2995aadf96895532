using System.Globalization;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Policies;

namespace Predictive.Core.Backtesting;

/// <summary>
/// A rebalancing policy by its command-line text (<c>calendar:21</c>, <c>band:0.05</c>, <c>band-l1:0.1</c>,
/// <c>cost-band</c>, <c>full</c>) together with the cheap screen the backtester runs before the policy itself.
/// </summary>
public sealed class PolicySpec
{
    private readonly Func<RebalanceEconomics, IRebalancingPolicy> _create;

    private PolicySpec(string name, PolicyScreen screen, Func<RebalanceEconomics, IRebalancingPolicy> create, bool needsRisk = false)
    {
        Name = name;
        NeedsRisk = needsRisk;
        Screen = screen;
        _create = create;
    }

    /// <summary>The accepted forms, for help texts and error messages.</summary>
    public const string Forms = "calendar:<bars>, band:<fraction>, band-l1:<fraction>, cost-band (or cost-aware), full";

    /// <summary>The canonical text (for example <c>band:0.05</c>), used in reports.</summary>
    public string Name { get; }

    /// <summary>The screen that settles most bars without planning.</summary>
    public PolicyScreen Screen { get; }

    /// <summary>Whether the policy needs a risk model (it values tracking error).</summary>
    public bool NeedsRisk { get; }

    /// <summary>Calendar rebalancing every <paramref name="everyBars"/> bars.</summary>
    public static PolicySpec Calendar(int everyBars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(everyBars, 1);
        return new($"calendar:{everyBars}", PolicyScreen.ForCalendar(everyBars), e => new CalendarPolicy(e, everyBars));
    }

    /// <summary>A fixed band (per asset, or on the L1 norm) that trades back to the target.</summary>
    public static PolicySpec Band(double band, BandNorm norm = BandNorm.PerAsset)
    {
        var options = new ThresholdBandOptions { Band = band, Norm = norm };
        Rebalancing.Costs.OptionsValidation.ThrowIfInvalid(options);
        var name = string.Create(CultureInfo.InvariantCulture, $"{(norm == BandNorm.L1 ? "band-l1" : "band")}:{band:0.####}");
        return new(name, PolicyScreen.ForBand(band, norm), e => new ThresholdBandPolicy(e, options));
    }

    /// <summary>The cost-adjusted band (trades when the tracking-error benefit exceeds the estimated cost).</summary>
    public static PolicySpec CostAware(CostAwareBandOptions? options = null)
    {
        options ??= new CostAwareBandOptions();
        return new("cost-band", PolicyScreen.ForCostAware(options.MinNetBenefitQuote, options.GridSteps), e => new CostAwareBandPolicy(e, options), needsRisk: true);
    }

    /// <summary>A full rebalance to target at every bar.</summary>
    public static PolicySpec Full() => new("full", PolicyScreen.ForFull(), e => new FullRebalancePolicy(e));

    /// <summary>Parses one policy's text.</summary>
    /// <exception cref="ArgumentException">The text is not one of <see cref="Forms"/>; the message says which part is wrong.</exception>
    public static PolicySpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var colon = t.IndexOf(':', StringComparison.Ordinal);
        var head = (colon < 0 ? t : t[..colon]).ToLowerInvariant();
        var arg = colon < 0 ? null : t[(colon + 1)..];
        switch (head)
        {
            case "full" when arg is null:
                return Full();
            case "cost-band" or "cost-aware" when arg is null:
                return CostAware();
            case "calendar" when int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k >= 1:
                return Calendar(k);
            case "band" or "band-l1" when double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && b is > 0 and <= 2:
                return Band(b, head == "band-l1" ? BandNorm.L1 : BandNorm.PerAsset);
            case "calendar":
                throw new ArgumentException($"Policy '{text}': calendar needs a whole number of bars ≥ 1, for example calendar:21.", nameof(text));
            case "band" or "band-l1":
                throw new ArgumentException($"Policy '{text}': {head} needs a weight fraction in (0, 2], for example {head}:0.05.", nameof(text));
            default:
                throw new ArgumentException($"Unknown policy '{text}'. Known policies: {Forms}.", nameof(text));
        }
    }

    /// <summary>Parses a comma-separated list of policies.</summary>
    /// <exception cref="ArgumentException">An entry is unknown or malformed, or the list is empty.</exception>
    public static IReadOnlyList<PolicySpec> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length == 0
            ? throw new ArgumentException($"No policy given. Known policies: {Forms}.", nameof(text))
            : items.Select(Parse).ToArray();
    }

    /// <summary>
    /// The same policy with the screen switched off: the real policy runs at every bar. Slower; results are identical,
    /// which is how the screen is checked.
    /// </summary>
    public PolicySpec Unscreened() => new(Name, PolicyScreen.Always, _create, NeedsRisk);

    /// <summary>Creates the policy over <paramref name="economics"/>, wrapped in <paramref name="guards"/> when there are any.</summary>
    public IRebalancingPolicy Create(RebalanceEconomics economics, IReadOnlyList<ITradeGuard>? guards = null)
    {
        ArgumentNullException.ThrowIfNull(economics);
        var policy = _create(economics);
        return guards is { Count: > 0 } ? new GuardedPolicy(policy, guards) : policy;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
