using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Predictive.Service.Api.Parsing;

/// <summary>
/// Parses a <c>POST /v1/targets</c> body incrementally with <see cref="Utf8JsonReader"/>: numbers go straight into
/// the pooled buffers of a <see cref="PortfolioBatch"/>, with no DTO graph. The body may arrive in pieces: each
/// <see cref="Feed"/> parses every portfolio whose bytes have all arrived and leaves the reader at the start of the
/// first one that has not (its partial numbers are rolled back). Errors name the field with the path System.Text.Json
/// would report (<c>portfolios[0].features[1][2]</c>) and the same messages, so the API's problems do not change:
/// the grammar is <see cref="TargetsRequest"/>'s, with camelCase names matched case-insensitively, numbers also
/// accepted as strings, and unknown properties refused. Once the reader has parsed one portfolio, plain portfolios are
/// scanned straight from the bytes (TargetsBodyParser.Scan.cs), which reads them the same way at a fraction of the cost;
/// whatever the scan does not take goes to the reader.
/// </summary>
internal sealed partial class TargetsBodyParser(PortfolioBatch batch, int maxPortfolios)
{
    private static readonly string TargetsRequestType = typeof(TargetsRequest).ToString();
    private static readonly string PortfolioType = typeof(PortfolioRequest).ToString();
    private static readonly string PortfolioListType = typeof(IReadOnlyList<PortfolioRequest?>).ToString();

    private Stage _stage;
    private ReadOnlySequence<byte> _buffer;

    // Where the current reader starts in _buffer: after bytes scanned directly, a new reader resumes there.
    private long _base;

    // Where the reader is, for error paths: a root property, or a portfolio, its property and up to two indices.
    private string? _rootProperty;
    private int _portfolio = -1;
    private string? _property;
    private int _i = -1;
    private int _j = -1;

    // Portfolios of a batch usually share their asset list; the previous one is reused when it matches.
    private string?[]? _previousAssets;

    private enum Stage
    {
        Start,
        Root,
        Portfolios,
        End,
    }

    /// <summary>
    /// Parses what <paramref name="buffer"/> completes. Returns the bytes consumed (the caller keeps the rest for the
    /// next call) and sets <paramref name="done"/> once the whole body is parsed.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON (including NaN/Infinity literals); see <see cref="Path"/>.</exception>
    /// <exception cref="BodyException">The JSON does not fit the request's shape.</exception>
    public long Feed(ReadOnlySequence<byte> buffer, bool isFinalBlock, ref JsonReaderState state, out bool done)
    {
        _buffer = buffer;
        _base = 0;
        var reader = new Utf8JsonReader(buffer, isFinalBlock, state);
        done = Run(ref reader);
        state = reader.CurrentState;
        return _base + reader.BytesConsumed;
    }

    /// <summary>The field the reader is in, as a JSON path without <c>$.</c> (for errors).</summary>
    public string Path()
    {
        if (_portfolio < 0)
        {
            return _rootProperty ?? "$";
        }

        var path = Invariant($"portfolios[{_portfolio}]");
        if (_property is not null)
        {
            path += "." + _property;
        }

        if (_i >= 0)
        {
            path += Invariant($"[{_i}]");
        }

        return _j >= 0 ? path + Invariant($"[{_j}]") : path;
    }

    private bool Run(ref Utf8JsonReader reader)
    {
        while (_stage != Stage.End)
        {
            if (_stage == Stage.Portfolios && CanScanPortfolios(reader) && !ScanPortfolios(ref reader))
            {
                return false;
            }

            var checkpoint = reader;
            var checkpointBase = _base;
            if (!Step(ref reader))
            {
                reader = checkpoint;
                _base = checkpointBase;
                return false;
            }
        }

        // The root is closed; only whitespace may follow it, and the reader throws on anything else.
        if (!reader.IsFinalBlock)
        {
            return false;
        }

        return !reader.Read() ? true : throw new BodyException("$", "Expected end of data after the body's JSON object.");
    }

    /// <summary>Reads one step; false when the step's bytes have not all arrived.</summary>
    private bool Step(ref Utf8JsonReader reader)
    {
        switch (_stage)
        {
            case Stage.Start:
                if (!reader.Read())
                {
                    return false;
                }

                _stage = reader.TokenType switch
                {
                    JsonTokenType.StartObject => Stage.Root,
                    JsonTokenType.Null => throw new BodyException("$", "The body is null; send a JSON object."),
                    _ => throw NotConvertible("$", TargetsRequestType),
                };
                return true;

            case Stage.Root:
                return RootProperty(ref reader);

            case Stage.Portfolios:
                return PortfolioElement(ref reader);

            default:
                throw new InvalidOperationException("The body is already parsed.");
        }
    }

    private bool RootProperty(ref Utf8JsonReader reader)
    {
        _rootProperty = null;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.EndObject)
        {
            _stage = Stage.End;
            return true;
        }

        if (!reader.ValueTextEquals("portfolios"u8) && !string.Equals(reader.GetString(), "portfolios", StringComparison.OrdinalIgnoreCase))
        {
            var name = reader.GetString()!;
            throw Unmapped(name, name, TargetsRequestType);
        }

        _rootProperty = "portfolios";
        if (!reader.Read())
        {
            return false;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                batch.Clear();
                batch.HasPortfolios = false;
                return true;
            case JsonTokenType.StartArray:
                batch.Clear();
                batch.HasPortfolios = true;
                _stage = Stage.Portfolios;
                return true;
            default:
                throw NotConvertible("portfolios", PortfolioListType);
        }
    }

    private bool PortfolioElement(ref Utf8JsonReader reader)
    {
        _portfolio = batch.PortfolioCount;
        _property = null;
        _i = _j = -1;
        if (!reader.Read())
        {
            return false;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                _portfolio = -1;
                _stage = Stage.Root;
                return true;
            case JsonTokenType.Null:
                if (batch.PortfolioCount < maxPortfolios)
                {
                    batch.Entries.Add(new PortfolioEntry { IsNull = true });
                }

                batch.PortfolioCount++;
                return true;
            case JsonTokenType.StartObject:
                // Past the limit portfolios are only counted, for the error that reports how many were sent.
                if (batch.PortfolioCount >= maxPortfolios ? !reader.TrySkip() : !Portfolio(ref reader))
                {
                    return false;
                }

                batch.PortfolioCount++;
                return true;
            default:
                throw NotConvertible(Path(), PortfolioType);
        }
    }

    private bool Portfolio(ref Utf8JsonReader reader)
    {
        var mark = batch.Mark();
        var p = new PortfolioEntry();
        while (true)
        {
            _property = null;
            _i = _j = -1;
            if (!reader.Read())
            {
                batch.Rollback(mark);
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                batch.Entries.Add(p);
                _previousAssets = p.Assets ?? _previousAssets;
                _property = null;
                _afterPortfolio ??= reader.CurrentState;
                return true;
            }

            _property = PortfolioProperties.Match(ref reader, out var property);
            if (property == PortfolioProperty.Unknown)
            {
                throw Unmapped(Path(), _property, PortfolioType);
            }

            var complete = property switch
            {
                PortfolioProperty.Id => ReadString(ref reader, ref p.Id),
                PortfolioProperty.Model => ReadString(ref reader, ref p.Model),
                PortfolioProperty.Assets => ReadAssets(ref reader, ref p),
                PortfolioProperty.CurrentWeights => ReadWeights(ref reader, ref p),
                PortfolioProperty.Features => ReadFeatures(ref reader, ref p),
                _ => ReadPrices(ref reader, ref p),
            };
            if (!complete)
            {
                batch.Rollback(mark);
                return false;
            }
        }
    }

    private static BodyException NotConvertible(string field, string type) => new(field, $"The JSON value could not be converted to {type}.");

    private static BodyException Unmapped(string field, string name, string type) =>
        new(field, $"The JSON property '{name}' could not be mapped to any .NET member contained in type '{type}'.");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
