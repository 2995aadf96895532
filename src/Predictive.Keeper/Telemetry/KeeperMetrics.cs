using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Predictive.Keeper.Store;

namespace Predictive.Keeper.Telemetry;

/// <summary>
/// The keeper's meter (<c>Predictive.Keeper</c>): passes by outcome, trades, refusals by reason, stale-oracle passes,
/// gas spent, and the seconds since each vault's last pass. Export it the way the Service and Operator do
/// (OpenTelemetry <c>AddMeter(KeeperMetrics.MeterName)</c>).
/// </summary>
public sealed class KeeperMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Predictive.Keeper";

    private readonly Meter _meter;
    private readonly Counter<long> _passes;
    private readonly Counter<long> _trades;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _staleOracle;
    private readonly Counter<long> _gas;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastPass = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a meter of its own.</summary>
    public KeeperMetrics(IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _time = timeProvider ?? TimeProvider.System;
        _passes = _meter.CreateCounter<long>("keeper.passes", description: "Keeper passes, by vault and outcome (trade, no-trade, refused, error, stopped).");
        _trades = _meter.CreateCounter<long>("keeper.trades", description: "Swaps sent (or simulated in shadow mode), by vault.");
        _refusals = _meter.CreateCounter<long>("keeper.refusals", description: "Passes that did not trade, by vault and reason.");
        _staleOracle = _meter.CreateCounter<long>("keeper.oracle.stale", description: "Passes refused because a feed was older than its heartbeat, by vault.");
        _gas = _meter.CreateCounter<long>("keeper.gas.used", "gas", "Gas used by the swaps sent, by vault.");
        _meter.CreateObservableGauge("keeper.seconds_since_last_pass", ObserveLastPass, "s", "Seconds since each vault's last pass ended.");
    }

    /// <summary>Records one pass.</summary>
    public void Pass(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var vault = new KeyValuePair<string, object?>("vault", record.Vault);
        _passes.Add(1, vault, new KeyValuePair<string, object?>("outcome", record.Outcome));
        if (record.Swaps.Count > 0)
        {
            _trades.Add(record.Swaps.Count, vault);
        }
        else
        {
            _refusals.Add(1, vault, new KeyValuePair<string, object?>("reason", record.Reason));
        }

        if (record.Reason == "oracle-stale")
        {
            _staleOracle.Add(1, vault);
        }

        if (record.GasUsed > 0)
        {
            _gas.Add(record.GasUsed, vault);
        }

        _lastPass[record.Vault] = _time.GetUtcNow();
    }

    private IEnumerable<Measurement<double>> ObserveLastPass()
    {
        var now = _time.GetUtcNow();
        return _lastPass.Select(p => new Measurement<double>((now - p.Value).TotalSeconds, new KeyValuePair<string, object?>("vault", p.Key)));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
