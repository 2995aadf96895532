using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Predictive.Service.Options;

namespace Predictive.Service.Api.Parsing;

/// <summary>
/// Reads a targets body from the request pipe while it arrives and parses it with <see cref="TargetsBodyParser"/>
/// into a <see cref="PortfolioBatch"/>. Malformed JSON (NaN and Infinity literals included) or a shape that is not
/// the API's becomes a 400 naming the field; a body over <c>Predictive:MaxBodyBytes</c> becomes a 413.
/// </summary>
internal static class TargetsBodyReader
{
    // Parse in pieces of at least this much: a piece that ends inside a portfolio parses that portfolio again later.
    private const int MinPiece = 32 * 1024;

    /// <summary>The parsed batch (the caller disposes it), or the problem to answer.</summary>
    public static async Task<(PortfolioBatch? Batch, IResult? Problem)> ReadAsync(HttpRequest request, ServiceOptions options, CancellationToken cancellationToken)
    {
        var maxBytes = options.MaxBodyBytes;
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        // Kestrel's own limit (30 MB by default) must not cut in before ours.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes + 1;
        }

        return await ReadAsync(request.BodyReader, request.ContentLength, options, cancellationToken);
    }

    /// <summary>Parses a body from <paramref name="pipe"/>; the same as for a request, without the Content-Length check.</summary>
    public static async Task<(PortfolioBatch? Batch, IResult? Problem)> ReadAsync(PipeReader pipe, long? contentLength, ServiceOptions options, CancellationToken cancellationToken)
    {
        var maxBytes = options.MaxBodyBytes;
        var batch = new PortfolioBatch(contentLength ?? 0);
        try
        {
            var problem = await ParseAsync(pipe, new TargetsBodyParser(batch, options.MaxPortfolios), maxBytes, cancellationToken);
            if (problem is null)
            {
                var parsed = batch;
                batch = null;
                return (parsed, null);
            }

            return (null, problem);
        }
        finally
        {
            batch?.Dispose();
        }
    }

    private static async Task<IResult?> ParseAsync(PipeReader pipe, TargetsBodyParser parser, long maxBytes, CancellationToken cancellationToken)
    {
        var state = default(JsonReaderState);
        long consumed = 0;
        long nextAttempt = 0;
        byte[]? scratch = null;
        try
        {
            while (true)
            {
                ReadResult read;
                try
                {
                    read = await pipe.ReadAsync(cancellationToken);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return TooLarge(maxBytes);
                }

                var buffer = read.Buffer;
                if (consumed + buffer.Length > maxBytes)
                {
                    pipe.AdvanceTo(buffer.End);
                    return TooLarge(maxBytes);
                }

                if (read.IsCompleted && consumed + buffer.Length == 0)
                {
                    pipe.AdvanceTo(buffer.End);
                    return Problems.Invalid("$", "The body is empty; send a JSON object.");
                }

                if (!read.IsCompleted && buffer.Length < nextAttempt)
                {
                    pipe.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                long used;
                bool done;
                try
                {
                    used = parser.Feed(Contiguous(buffer, ref scratch), read.IsCompleted, ref state, out done);
                }
                catch (JsonException e)
                {
                    pipe.AdvanceTo(buffer.End);
                    return Problems.Invalid(parser.Path(), JsonMessages.Describe(e.Message));
                }
                catch (BodyException e)
                {
                    pipe.AdvanceTo(buffer.End);
                    return Problems.Invalid(e.Field, e.Message);
                }

                consumed += used;

                // What did not complete waits for twice as many bytes, so that a large portfolio arriving in small
                // pieces is not parsed again on every piece.
                nextAttempt = Math.Max(MinPiece, 2 * (buffer.Length - used));
                pipe.AdvanceTo(buffer.GetPosition(used), buffer.End);
                if (done)
                {
                    return null;
                }

                if (read.IsCompleted)
                {
                    // The final block either completes the body or makes the reader throw; this is a parser bug.
                    throw new InvalidOperationException("The targets body parser stopped before the end of the final block.");
                }
            }
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>
    /// The pipe's buffer as one segment: the reader is markedly faster on one span than across Kestrel's 4 KiB blocks,
    /// and copying costs far less than the difference. Offsets are unchanged, so consumed counts apply to the pipe.
    /// </summary>
    internal static ReadOnlySequence<byte> Contiguous(ReadOnlySequence<byte> buffer, ref byte[]? scratch)
    {
        if (buffer.IsSingleSegment)
        {
            return buffer;
        }

        if (scratch is null || scratch.Length < buffer.Length)
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            scratch = ArrayPool<byte>.Shared.Rent((int)buffer.Length);
        }

        buffer.CopyTo(scratch);
        return new ReadOnlySequence<byte>(scratch, 0, (int)buffer.Length);
    }

    private static IResult TooLarge(long maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"The body exceeds the limit of {maxBytes} bytes (Predictive:MaxBodyBytes); send fewer portfolios per request.");
}
