using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Predictive.Core.Rebalancing;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Registry;
using Predictive.Service.Options;
using Predictive.Service.Telemetry;

namespace Predictive.Service.Api;

/// <summary>
/// <c>POST /v1/targets</c>: validates the batch, picks each portfolio's model, builds features (sent or from prices),
/// and runs each model once over its portfolios (one ONNX Runtime call per model and asset count).
/// </summary>
internal sealed class TargetsEndpoint(ModelRegistry registry, IOptions<ServiceOptions> options, ServiceMetrics metrics, ILogger<TargetsEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var timings = new Timings();
        var (result, portfolios) = await HandleCoreAsync(http, timings, cancellationToken);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var elapsed = Stopwatch.GetElapsedTime(start);
        metrics.RecordRequest(elapsed.TotalSeconds, status, portfolios);

        // Server time without serialization of the answer, for clients and load tests (W3C Server-Timing).
        http.Response.Headers["Server-Timing"] = string.Create(
            CultureInfo.InvariantCulture,
            $"app;dur={elapsed.TotalMilliseconds:F3}, parse;dur={timings.ParseMs:F3}, inference;dur={timings.InferenceMs:F3}");
        return result;
    }

    private async Task<(IResult Result, int Portfolios)> HandleCoreAsync(HttpContext http, Timings timings, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var readStart = Stopwatch.GetTimestamp();
        var (request, problem) = await RequestBody.ReadAsync(http.Request, ServiceJsonContext.Default.TargetsRequest, settings.MaxBodyBytes, cancellationToken);
        timings.ParseMs = Stopwatch.GetElapsedTime(readStart).TotalMilliseconds;
        if (problem is not null)
        {
            metrics.RecordError(problem is ProblemHttpResult { StatusCode: StatusCodes.Status413PayloadTooLarge } ? ErrorKinds.PayloadTooLarge : ErrorKinds.Validation);
            return (problem, 0);
        }

        var errors = new FieldErrors();
        PortfolioValidator.CheckShape(request!, settings, errors);
        if (errors.Any)
        {
            metrics.RecordError(ErrorKinds.Validation);
            return (Problems.Invalid(errors.ToDictionary()), request!.Portfolios?.Count ?? 0);
        }

        var portfolios = request!.Portfolios!.Select(p => p!).ToArray();
        var models = AcquireModels(portfolios, errors);
        if (models is null)
        {
            if (errors.Any)
            {
                metrics.RecordError(ErrorKinds.UnknownModel);
                return (Problems.Invalid(errors.ToDictionary()), portfolios.Length);
            }

            metrics.RecordError(ErrorKinds.NoModel);
            return (Problems.Status(StatusCodes.Status503ServiceUnavailable, "No model is loaded.", $"No valid model was found in {registry.ModelsDirectory}; see GET /v1/models for refusals."), portfolios.Length);
        }

        try
        {
            return (Allocate(portfolios, models, settings, errors, timings), portfolios.Length);
        }
        finally
        {
            foreach (var model in models.Distinct())
            {
                model.Release();
            }
        }
    }

    private IResult Allocate(PortfolioRequest[] portfolios, OnnxAllocatorModel[] models, ServiceOptions settings, FieldErrors errors, Timings timings)
    {
        var inputs = new PortfolioInput[portfolios.Length];
        for (var i = 0; i < portfolios.Length; i++)
        {
            var p = portfolios[i];
            var features = PortfolioValidator.FeaturesFor(p, models[i], settings, Invariant($"portfolios[{i}]"), errors);
            inputs[i] = new PortfolioInput(features, Array.ConvertAll(p.CurrentWeights!, w => (float)w));
        }

        if (errors.Any)
        {
            metrics.RecordError(ErrorKinds.Validation);
            return Problems.Invalid(errors.ToDictionary());
        }

        var weights = new double[portfolios.Length][];
        foreach (var group in Enumerable.Range(0, portfolios.Length).GroupBy(i => models[i]))
        {
            var model = group.Key;
            var members = group.ToArray();
            var start = Stopwatch.GetTimestamp();
            double[][] result;
            try
            {
                result = BatchAllocator.Allocate(model, [.. members.Select(i => inputs[i])], [.. members.Select(i => portfolios[i].Id!)]);
            }
            catch (ModelOutputException e)
            {
                metrics.RecordError(ErrorKinds.ModelOutput);
                Log.InvalidModelOutput(logger, model.Key, string.Join("; ", e.Problems));
                return Problems.Status(StatusCodes.Status500InternalServerError, "The model returned invalid weights.", $"{e.Message} The request was not answered; the operators have been told (see logs).");
            }
            catch (OnnxRuntimeException e)
            {
                metrics.RecordError(ErrorKinds.Inference);
                Log.InferenceFailed(logger, e, model.Key);
                return Problems.Status(StatusCodes.Status500InternalServerError, "Inference failed.", $"ONNX Runtime failed on model '{model.Key}'.");
            }

            var inference = Stopwatch.GetElapsedTime(start);
            timings.InferenceMs += inference.TotalMilliseconds;
            metrics.RecordInference(inference.TotalSeconds, model.Key, members.Length);
            for (var j = 0; j < members.Length; j++)
            {
                weights[members[j]] = result[j];
            }
        }

        var targets = new TargetResult[portfolios.Length];
        for (var i = 0; i < portfolios.Length; i++)
        {
            var p = portfolios[i];
            var assets = p.Assets!.Select(a => a!).ToArray();
            var drift = DriftMeasure.Of(assets, p.CurrentWeights, weights[i], risk: null);
            targets[i] = new TargetResult(p.Id!, Info(models[i]), assets, weights[i], new DriftInfo(drift.L1, drift.MaxAbs, drift.MaxAsset));
        }

        var single = models.Distinct().Count() == 1 ? Info(models[0]) : null;
        return TypedResults.Json(new TargetsResponse(single, targets), ServiceJsonContext.Default.TargetsResponse);
    }

    /// <summary>
    /// Resolves every portfolio's model from one registry snapshot and takes one reference per distinct model. A model
    /// retired between the read and the reference is already out of the newer snapshot, so the loop reads again.
    /// Null with errors for an unknown model; null without errors when nothing is loaded.
    /// </summary>
    private OnnxAllocatorModel[]? AcquireModels(PortfolioRequest[] portfolios, FieldErrors errors)
    {
        while (true)
        {
            var snapshot = registry.Current;
            var models = new OnnxAllocatorModel[portfolios.Length];
            for (var i = 0; i < portfolios.Length; i++)
            {
                var p = portfolios[i];
                var model = snapshot.Resolve(p.Id, p.Model);
                if (model is null)
                {
                    if (p.Model is null)
                    {
                        return null;
                    }

                    errors.Add(Invariant($"portfolios[{i}].model"), $"Model '{p.Model}' is not loaded; loaded models: {string.Join(", ", snapshot.Loaded.Keys.DefaultIfEmpty("none"))}.");
                    continue;
                }

                models[i] = model;
            }

            if (errors.Any)
            {
                return null;
            }

            var acquired = new List<OnnxAllocatorModel>();
            foreach (var model in models.Distinct())
            {
                if (!model.TryAcquire())
                {
                    break;
                }

                acquired.Add(model);
            }

            if (acquired.Count == models.Distinct().Count())
            {
                return models;
            }

            foreach (var model in acquired)
            {
                model.Release();
            }
        }
    }

    /// <summary>Per-request phase times for the Server-Timing header (body read and parse, ONNX Runtime calls).</summary>
    private sealed class Timings
    {
        public double ParseMs { get; set; }

        public double InferenceMs { get; set; }
    }

    private static ModelInfo Info(OnnxAllocatorModel model) => new(model.Name, model.Version, model.Sha256);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
