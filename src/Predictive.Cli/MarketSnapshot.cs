using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Cli;

/// <summary>
/// Everything an allocator may see at one bar of a panel: features from the spec and a shrunk risk estimate,
/// both computed from data up to that bar only.
/// </summary>
public sealed class MarketSnapshot
{
    private MarketSnapshot(PricePanel panel, int bar, AllocationInput input)
    {
        Panel = panel;
        Bar = bar;
        Input = input;
    }

    /// <summary>The panel.</summary>
    public PricePanel Panel { get; }

    /// <summary>The bar of the decision.</summary>
    public int Bar { get; }

    /// <summary>The allocator input at <see cref="Bar"/>.</summary>
    public AllocationInput Input { get; }

    /// <summary>The bar time.</summary>
    public DateTimeOffset Time => Panel.Timestamps[Bar];

    /// <summary>Builds the snapshot at the last bar at or before <paramref name="at"/> (the last bar when null).</summary>
    /// <exception cref="CliException"><paramref name="at"/> is before the data starts.</exception>
    public static MarketSnapshot At(PricePanel panel, DateTimeOffset? at, FeatureSpec? spec = null, RiskEstimator? risk = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var bar = at is { } t ? panel.BarAtOrBefore(t) : panel.BarCount - 1;
        if (bar < 0)
        {
            throw new CliException($"--at {DataSources.Iso(at!.Value)} is before the data starts ({DataSources.Iso(panel.Start!.Value)}).");
        }

        // Features need only the history up to the bar; slicing makes that explicit and keeps the work small.
        var history = panel.Slice(0, bar + 1);
        var frame = FeatureBuilder.Build(history, spec ?? FeatureSpec.Default);
        var estimate = (risk ?? new RiskEstimator()).Estimate(history, bar);
        var available = frame.Availability(bar);
        var count = 0;
        foreach (var a in available)
        {
            count += a ? 1 : 0;
        }

        var previous = new double[panel.AssetCount];
        for (var a = 0; a < previous.Length; a++)
        {
            previous[a] = available[a] ? 1.0 / count : 0;
        }

        return new MarketSnapshot(panel, bar, frame.ToAllocationInput(bar, previous, estimate));
    }
}
