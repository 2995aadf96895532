using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Predictive.Core.Rebalancing;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Registry;
using Predictive.Service.Api.Parsing;
using Predictive.Service.Options;
using Predictive.Service.Telemetry;

namespace Predictive.Service.Api;

/// <summary>
/// <c>POST /v1/targets</c>: parses the body as it arrives straight into pooled tensors, validates the batch, picks
/// each portfolio's model, builds features (sent or from prices), and runs each model once over its portfolios (one
/// ONNX Runtime call per model and asset count).
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
        var (batch, problem) = await TargetsBodyReader.ReadAsync(http.Request, settings, cancellationToken);
        timings.ParseMs = Stopwatch.GetElapsedTime(readStart).TotalMilliseconds;
        if (batch is null)
        {
            metrics.RecordError(problem is ProblemHttpResult { StatusCode: StatusCodes.Status413PayloadTooLarge } ? ErrorKinds.PayloadTooLarge : ErrorKinds.Validation);
            return (problem!, 0);
        }

        using (batch)
        {
            var errors = new FieldErrors();
            PortfolioValidator.CheckShape(batch, settings, errors);
            var count = batch.Entries.Count;
            if (errors.Any)
            {
                metrics.RecordError(ErrorKinds.Validation);
                return (Problems.Invalid(errors.ToDictionary()), batch.PortfolioCount);
            }

            var models = AcquireModels(batch.Entries.Span, errors);
            if (models is null)
            {
                if (errors.Any)
                {
                    metrics.RecordError(ErrorKinds.UnknownModel);
                    return (Problems.Invalid(errors.ToDictionary()), count);
                }

                metrics.RecordError(ErrorKinds.NoModel);
                return (Problems.Status(StatusCodes.Status503ServiceUnavailable, "No model is loaded.", $"No valid model was found in {registry.ModelsDirectory}; see GET /v1/models for refusals."), count);
            }

            try
            {
                return (Allocate(batch, models, settings, errors, timings), count);
            }
            finally
            {
                foreach (var model in Distinct(models))
                {
                    model.Release();
                }
            }
        }
    }

    private IResult Allocate(PortfolioBatch batch, OnnxAllocatorModel[] models, ServiceOptions settings, FieldErrors errors, Timings timings)
    {
        var portfolios = batch.Entries.Span;
        var inputs = new PortfolioInput[portfolios.Length];
        var ids = new string[portfolios.Length];
        for (var i = 0; i < portfolios.Length; i++)
        {
            ref readonly var p = ref portfolios[i];
            ids[i] = p.Id!;
            if (PortfolioValidator.FeaturesFor(batch, p, i, models[i], settings, errors) is { } features)
            {
                inputs[i] = new PortfolioInput(features, batch.PreviousWeightsOf(p));
            }
        }

        if (errors.Any)
        {
            metrics.RecordError(ErrorKinds.Validation);
            return Problems.Invalid(errors.ToDictionary());
        }

        var weights = new double[portfolios.Length][];
        var distinct = Distinct(models);
        foreach (var model in distinct)
        {
            // The usual batch has one model: its inputs go to ONNX Runtime as they are, in one call per asset count.
            int[]? members = distinct.Count == 1 ? null : [.. Enumerable.Range(0, models.Length).Where(i => models[i] == model)];
            var start = Stopwatch.GetTimestamp();
            double[][] result;
            try
            {
                result = members is null
                    ? BatchAllocator.Allocate(model, inputs, ids)
                    : BatchAllocator.Allocate(model, [.. members.Select(i => inputs[i])], [.. members.Select(i => ids[i])]);
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
            metrics.RecordInference(inference.TotalSeconds, model.Key, result.Length);
            for (var j = 0; j < result.Length; j++)
            {
                weights[members is null ? j : members[j]] = result[j];
            }
        }

        var infos = distinct.ToDictionary(m => m, Info);
        var targets = new TargetResult[portfolios.Length];
        for (var i = 0; i < portfolios.Length; i++)
        {
            ref readonly var p = ref portfolios[i];
            var assets = PortfolioValidator.Symbols(p);
            var drift = DriftMeasure.Of(assets, batch.WeightsOf(p), weights[i], risk: null);
            targets[i] = new TargetResult(ids[i], infos[models[i]], assets, weights[i], new DriftInfo(drift.L1, drift.MaxAbs, drift.MaxAsset));
        }

        return new TargetsJsonResult(new TargetsResponse(distinct.Count == 1 ? infos[models[0]] : null, targets));
    }

    /// <summary>
    /// Resolves every portfolio's model from one registry snapshot and takes one reference per distinct model. A model
    /// retired between the read and the reference is already out of the newer snapshot, so the loop reads again.
    /// Null with errors for an unknown model; null without errors when nothing is loaded.
    /// </summary>
    private OnnxAllocatorModel[]? AcquireModels(ReadOnlySpan<PortfolioEntry> portfolios, FieldErrors errors)
    {
        while (true)
        {
            var snapshot = registry.Current;
            var models = new OnnxAllocatorModel[portfolios.Length];
            for (var i = 0; i < portfolios.Length; i++)
            {
                ref readonly var p = ref portfolios[i];
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

            var distinct = Distinct(models);
            var acquired = 0;
            while (acquired < distinct.Count && distinct[acquired].TryAcquire())
            {
                acquired++;
            }

            if (acquired == distinct.Count)
            {
                return models;
            }

            for (var k = 0; k < acquired; k++)
            {
                distinct[k].Release();
            }
        }
    }

    /// <summary>The distinct models in first-use order; a batch usually has one, so this avoids a set.</summary>
    private static List<OnnxAllocatorModel> Distinct(OnnxAllocatorModel[] models)
    {
        var distinct = new List<OnnxAllocatorModel>(1);
        foreach (var model in models)
        {
            if ((distinct.Count == 0 || distinct[^1] != model) && !distinct.Contains(model))
            {
                distinct.Add(model);
            }
        }

        return distinct;
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
