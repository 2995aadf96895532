using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace Predictive.Service.Api;

/// <summary>
/// Reads a JSON body with a byte limit and deserializes it. Malformed JSON, including the NaN and Infinity literals
/// System.Text.Json refuses, becomes a 400 naming the JSON path; a body over the limit becomes a 413.
/// </summary>
internal static class RequestBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        // Kestrel's own limit (30 MB by default) must not cut in before ours.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes + 1;
        }

        var reader = request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, TooLarge(maxBytes));
            }

            var buffer = read.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return (null, TooLarge(maxBytes));
            }

            if (read.IsCompleted)
            {
                try
                {
                    return Parse(buffer, typeInfo);
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (T? Value, IResult? Problem) Parse<T>(ReadOnlySequence<byte> buffer, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (buffer.IsEmpty)
        {
            return (null, Problems.Invalid("$", "The body is empty; send a JSON object."));
        }

        // Deserializing from a span (not from a reader, which skips the whole value first) keeps the path of a bad
        // token, so a NaN literal is reported at portfolios[0].features[1][1] rather than at $.
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> span;
            if (buffer.IsSingleSegment)
            {
                span = buffer.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)buffer.Length);
                buffer.CopyTo(rented);
                span = rented.AsSpan(0, (int)buffer.Length);
            }

            var value = JsonSerializer.Deserialize(span, typeInfo);
            return value is null ? (null, Problems.Invalid("$", "The body is null; send a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid(FieldOf(e.Path), Describe(e)));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary><c>$.portfolios[0].features[1][2]</c> → <c>portfolios[0].features[1][2]</c>.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Describe(JsonException e)
    {
        // The serializer's message ends with the path and position, which the field already carries.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return message.Contains("invalid", StringComparison.OrdinalIgnoreCase)
            ? $"{message} Numbers must be finite JSON numbers (NaN and Infinity are not JSON)."
            : message;
    }

    private static IResult TooLarge(long maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"The body exceeds the limit of {maxBytes} bytes (Predictive:MaxBodyBytes); send fewer portfolios per request.");
}
