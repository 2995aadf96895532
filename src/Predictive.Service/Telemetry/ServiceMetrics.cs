using System.Diagnostics.Metrics;
using Predictive.Onnx.Registry;

namespace Predictive.Service.Telemetry;

/// <summary>
/// The service's instruments (meter <see cref="MeterName"/>), exported in Prometheus format at <c>/metrics</c>:
/// targets request latency, inference latency, the active model versions, refused models, and errors by kind.
/// </summary>
public sealed class ServiceMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Predictive.Service";

    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _inferenceDuration;
    private readonly Counter<long> _errors;

    /// <summary>Creates the instruments.</summary>
    public ServiceMetrics(IMeterFactory meterFactory, ModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(registry);
        var meter = meterFactory.Create(MeterName);
        _requestDuration = meter.CreateHistogram<double>("predictive.targets.request.duration", "s", "Time to answer POST /v1/targets, body read to response built.");
        _inferenceDuration = meter.CreateHistogram<double>("predictive.inference.duration", "s", "Time of the ONNX Runtime calls for one model within one request.");
        _errors = meter.CreateCounter<long>("predictive.errors", "{error}", "Rejected or failed requests, by kind.");
        meter.CreateObservableGauge("predictive.model.active", () => ActiveModels(registry), "{model}", "1 for each model in use: the default (scope=default) and each portfolio's active model (scope=portfolio).");
        meter.CreateObservableGauge("predictive.models.loaded", () => registry.Current.Loaded.Count, "{model}", "Models loaded and valid.");
        meter.CreateObservableGauge("predictive.models.refused", () => registry.Current.Refused.Count, "{model}", "Models refused by the last load.");
    }

    /// <summary>Records one targets request.</summary>
    public void RecordRequest(double seconds, int status, int portfolios) =>
        _requestDuration.Record(seconds, new("http.response.status_code", status), new("predictive.batch_size", BatchBucket(portfolios)));

    /// <summary>Records the inference time of one model in one request.</summary>
    public void RecordInference(double seconds, string model, int portfolios) =>
        _inferenceDuration.Record(seconds, new("model", model), new("predictive.batch_size", BatchBucket(portfolios)));

    /// <summary>Counts an error of <paramref name="kind"/> (see <see cref="ErrorKinds"/>).</summary>
    public void RecordError(string kind) => _errors.Add(1, new KeyValuePair<string, object?>("kind", kind));

    private static IEnumerable<Measurement<int>> ActiveModels(ModelRegistry registry)
    {
        var snapshot = registry.Current;
        if (snapshot.Default is { } model)
        {
            yield return new(1, new("model", model.Name), new("version", model.Version), new("scope", "default"));
        }

        foreach (var key in snapshot.Active.Values.Distinct(StringComparer.Ordinal))
        {
            if (snapshot.Loaded.TryGetValue(key, out var active))
            {
                yield return new(1, new("model", active.Name), new("version", active.Version), new("scope", "portfolio"));
            }
        }
    }

    // Bounded label values: a batch size per request would explode the series count.
    private static string BatchBucket(int n) => n switch
    {
        <= 1 => "1",
        <= 10 => "2-10",
        <= 100 => "11-100",
        _ => ">100",
    };
}

/// <summary>The <c>kind</c> label values of <c>predictive.errors</c>.</summary>
public static class ErrorKinds
{
    /// <summary>A request field is invalid (400).</summary>
    public const string Validation = "validation";

    /// <summary>The body is too large (413).</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>A named model is not loaded (400 on targets, 404 on activation).</summary>
    public const string UnknownModel = "unknown_model";

    /// <summary>No model is loaded (503).</summary>
    public const string NoModel = "no_model";

    /// <summary>A model returned invalid weights (500).</summary>
    public const string ModelOutput = "model_output";

    /// <summary>ONNX Runtime failed (500).</summary>
    public const string Inference = "inference";

    /// <summary>Admin credentials missing (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>Admin credentials wrong or admin disabled (403).</summary>
    public const string Forbidden = "forbidden";
}
