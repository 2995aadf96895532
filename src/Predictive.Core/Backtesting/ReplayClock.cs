namespace Predictive.Core.Backtesting;

/// <summary>The backtest's clock: a <see cref="TimeProvider"/> the replay sets to each bar's close.</summary>
internal sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public void Set(DateTimeOffset now) => _now = now;

    public override DateTimeOffset GetUtcNow() => _now;
}
