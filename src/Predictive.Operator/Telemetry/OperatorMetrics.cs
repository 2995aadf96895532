using System.Diagnostics.Metrics;

namespace Predictive.Operator.Telemetry;

/// <summary>The operator's OpenTelemetry meter: job runs, their duration and start latency, and promotion decisions.</summary>
public sealed class OperatorMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Predictive.Operator";

    private readonly Meter _meter;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _startLatency;
    private readonly Counter<long> _decisions;

    /// <summary>Creates the instruments.</summary>
    public OperatorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _runs = _meter.CreateCounter<long>("operator.job.runs", description: "Job runs, by job and outcome.");
        _duration = _meter.CreateHistogram<double>("operator.job.duration", "s", "Wall time of a job run.");
        _startLatency = _meter.CreateHistogram<double>("operator.job.start_latency", "s", "From a trigger's scheduled fire time to the job's start.");
        _decisions = _meter.CreateCounter<long>("operator.evaluation.decisions", description: "Champion-challenger decisions: promote or keep.");
    }

    /// <summary>Records a started run's latency.</summary>
    public void RunStarted(string job, TimeSpan? latency)
    {
        if (latency is { } l)
        {
            _startLatency.Record(l.TotalSeconds, new KeyValuePair<string, object?>("job", job));
        }
    }

    /// <summary>Records a finished run.</summary>
    public void RunFinished(string job, string outcome, TimeSpan duration)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", outcome));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("job", job));
    }

    /// <summary>Records an evaluation's decision.</summary>
    public void Decision(bool promote) => _decisions.Add(1, new KeyValuePair<string, object?>("decision", promote ? "promote" : "keep"));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
