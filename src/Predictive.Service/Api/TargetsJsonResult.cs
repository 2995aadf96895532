using System.Text.Json;

namespace Predictive.Service.Api;

/// <summary>
/// Writes a <see cref="TargetsResponse"/> with a <see cref="Utf8JsonWriter"/> straight into the response pipe, flushing
/// every few hundred targets, so a 1,000-portfolio answer needs neither a string nor a whole-body buffer. The JSON is
/// what the source-generated serializer writes for the same record (camelCase names, shortest round-trip numbers).
/// </summary>
internal sealed class TargetsJsonResult(TargetsResponse response) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TargetsResponse>, IContentTypeHttpResult
{
    private const int TargetsPerFlush = 256;

    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText TargetsName = JsonEncodedText.Encode("targets");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText Sha256Name = JsonEncodedText.Encode("sha256");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText AssetsName = JsonEncodedText.Encode("assets");
    private static readonly JsonEncodedText WeightsName = JsonEncodedText.Encode("weights");
    private static readonly JsonEncodedText DriftName = JsonEncodedText.Encode("drift");
    private static readonly JsonEncodedText L1Name = JsonEncodedText.Encode("l1");
    private static readonly JsonEncodedText MaxAbsName = JsonEncodedText.Encode("maxAbs");
    private static readonly JsonEncodedText MaxAssetName = JsonEncodedText.Encode("maxAsset");

    public int? StatusCode => StatusCodes.Status200OK;

    public TargetsResponse Value => response;

    object? IValueHttpResult.Value => response;

    public string ContentType => "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var http = httpContext.Response;
        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = ContentType;
        var pipe = http.BodyWriter;
        var cancellationToken = httpContext.RequestAborted;
        await using var writer = new Utf8JsonWriter(pipe);
        writer.WriteStartObject();
        writer.WritePropertyName(ModelName);
        WriteModel(writer, response.Model);
        writer.WriteStartArray(TargetsName);
        var targets = response.Targets;
        for (var i = 0; i < targets.Count; i++)
        {
            WriteTarget(writer, targets[i]);
            if ((i + 1) % TargetsPerFlush == 0)
            {
                await writer.FlushAsync(cancellationToken);
                await pipe.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    private static void WriteTarget(Utf8JsonWriter writer, TargetResult target)
    {
        writer.WriteStartObject();
        writer.WriteString(IdName, target.Id);
        writer.WritePropertyName(ModelName);
        WriteModel(writer, target.Model);
        writer.WriteStartArray(AssetsName);
        foreach (var asset in target.Assets)
        {
            writer.WriteStringValue(asset);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(WeightsName);
        foreach (var w in target.Weights)
        {
            writer.WriteNumberValue(w);
        }

        writer.WriteEndArray();
        writer.WriteStartObject(DriftName);
        writer.WriteNumber(L1Name, target.Drift.L1);
        writer.WriteNumber(MaxAbsName, target.Drift.MaxAbs);
        writer.WriteString(MaxAssetName, target.Drift.MaxAsset);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter writer, ModelInfo? model)
    {
        if (model is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(NameName, model.Name);
        writer.WriteString(VersionName, model.Version);
        writer.WriteString(Sha256Name, model.Sha256);
        writer.WriteEndObject();
    }
}
