using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Predictive.Service.Api;
using Predictive.Service.Api.Parsing;
using Predictive.Service.Options;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// Parsing and validating the 1,000-portfolio targets body in process (no HTTP): 1,000 portfolios × 20 assets × 13
/// features, about 3 MB and 280,000 numbers, shaped like tests/Predictive.Benchmarks/Service/make-bodies.py.
/// <c>DtoDeserialize</c> is the former path (System.Text.Json into the request records; its validation came on top);
/// <c>StreamingParseAndValidate</c> is the service's path: the body in one final block, or in 16 KiB pieces as it
/// arrives from Kestrel (each piece copied to one span, as the service does), into pooled buffers, then the shape checks.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TargetsBodyBenchmarks
{
    private const int Portfolios = 1000;
    private const int Assets = 20;
    private const int Features = 13;
    private readonly ServiceOptions _options = new();
    private byte[] _body = null!;
    private ReadOnlySequence<byte> _pieces;

    [GlobalSetup]
    public void Setup()
    {
        _body = Body(Portfolios, Assets, Features, seed: 42);
        _pieces = Pieces(_body, 16 * 1024);
    }

    [Benchmark(Baseline = true)]
    public int DtoDeserialize() => JsonSerializer.Deserialize(_body, ServiceJsonContext.Default.TargetsRequest)!.Portfolios!.Count;

    [Benchmark]
    public int StreamingParseAndValidate() => ParseAndValidate(new ReadOnlySequence<byte>(_body), _body.Length);

    [Benchmark]
    public int StreamingParseAndValidateIn16KiBPieces()
    {
        // As the pipe delivers it: each call sees what arrived so far and leaves an unfinished portfolio for later.
        using var batch = new PortfolioBatch(_body.Length);
        var parser = new TargetsBodyParser(batch, _options.MaxPortfolios);
        var state = default(JsonReaderState);
        long consumed = 0;
        var done = false;
        byte[]? scratch = null;
        for (long end = 16 * 1024; !done; end = Math.Min(end + (16 * 1024), _body.Length))
        {
            var available = TargetsBodyReader.Contiguous(_pieces.Slice(consumed, end - consumed), ref scratch);
            consumed += parser.Feed(available, end == _body.Length, ref state, out done);
        }

        ArrayPool<byte>.Shared.Return(scratch!);
        return Validate(batch);
    }

    private int ParseAndValidate(ReadOnlySequence<byte> body, long length)
    {
        using var batch = new PortfolioBatch(length);
        var state = default(JsonReaderState);
        new TargetsBodyParser(batch, _options.MaxPortfolios).Feed(body, isFinalBlock: true, ref state, out _);
        return Validate(batch);
    }

    private int Validate(PortfolioBatch batch)
    {
        var errors = new FieldErrors();
        PortfolioValidator.CheckShape(batch, _options, errors);
        return errors.Any ? throw new InvalidOperationException("the benchmark body is invalid") : batch.Entries.Count;
    }

    /// <summary>A targets body with features; numbers in [-0.5, 0.5] with 6 decimals, as make-bodies.py writes them.</summary>
    public static byte[] Body(int portfolios, int assets, int features, int seed)
    {
        var random = new Random(seed);
        var json = new StringBuilder("{\"portfolios\":[");
        for (var p = 0; p < portfolios; p++)
        {
            json.Append(p == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"{{\"id\": \"p{p}\", \"assets\": [");
            json.AppendJoin(", ", Enumerable.Range(0, assets).Select(a => $"\"A{a}\"")).Append("], \"currentWeights\": [");
            json.AppendJoin(", ", Enumerable.Repeat((1.0 / assets).ToString("R", CultureInfo.InvariantCulture), assets)).Append("], \"features\": [");
            for (var a = 0; a < assets; a++)
            {
                json.Append(a == 0 ? "[" : ", [");
                json.AppendJoin(", ", Enumerable.Range(0, features).Select(_ => Math.Round(random.NextDouble() - 0.5, 6).ToString("R", CultureInfo.InvariantCulture)));
                json.Append(']');
            }

            json.Append("]}");
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    private static ReadOnlySequence<byte> Pieces(byte[] body, int size)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < body.Length; offset += size)
        {
            var piece = body.AsMemory(offset, Math.Min(size, body.Length - offset));
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
