using System.Text;
using System.Text.Json;

namespace Predictive.Service.Api.Parsing;

/// <summary>
/// The direct scan of whole portfolios. Once the reader has parsed one portfolio, its state after it is the state
/// after any portfolio (line counters aside, which the API's messages do not show), so the scanner may take over:
/// plain portfolios (properties <c>id</c>, <c>model</c>, <c>assets</c>, <c>currentWeights</c>, <c>features</c> spelt
/// exactly, once each; ASCII strings without escapes; plain number arrays) are read straight from the bytes, and a
/// new reader resumes after the last one. Anything else leaves that portfolio, from its start, to the reader.
/// </summary>
internal sealed partial class TargetsBodyParser
{
    // The reader's state after a portfolio object, once the reader has parsed one.
    private JsonReaderState? _afterPortfolio;

    // The reader's state after an array value inside a portfolio (features or currentWeights), once it has parsed one.
    private JsonReaderState? _afterArrayValue;

    // The JSON of the last asset list scanned and the array it gave: the same bytes again give the same array.
    private byte[]? _assetsJson;
    private string?[]? _assetsJsonArray;
    private List<string?>? _assetsScratch;

    private bool CanScanPortfolios(in Utf8JsonReader reader) =>
        _afterPortfolio is not null && _buffer.IsSingleSegment && reader.TokenType == JsonTokenType.EndObject && batch.PortfolioCount < maxPortfolios;

    /// <summary>
    /// Scans the portfolios after the reader's position while they are plain, and moves the reader past them.
    /// False when the data ends inside a plain portfolio and more is coming.
    /// </summary>
    private bool ScanPortfolios(ref Utf8JsonReader reader)
    {
        var json = _buffer.FirstSpan;
        var start = (int)(_base + reader.BytesConsumed);
        var i = start;
        var status = ScanStatus.Done;
        while (batch.PortfolioCount < maxPortfolios)
        {
            var mark = batch.Mark();
            status = ScanPortfolio(json, ref i, out var p);
            if (status != ScanStatus.Done)
            {
                batch.Rollback(mark);
                break;
            }

            batch.Entries.Add(p);
            _previousAssets = p.Assets ?? _previousAssets;
            batch.PortfolioCount++;
        }

        if (i != start)
        {
            reader = new Utf8JsonReader(_buffer.Slice(i), reader.IsFinalBlock, _afterPortfolio!.Value);
            _base = i;
        }

        // In the final block the reader meets the cut-off data, with its error.
        return status != ScanStatus.NeedMore || reader.IsFinalBlock;
    }

    /// <summary>One portfolio after the previous one: <c>, { "name": value, … }</c>. Moves <paramref name="i"/> only when Done.</summary>
    private ScanStatus ScanPortfolio(ReadOnlySpan<byte> json, ref int i, out PortfolioEntry p)
    {
        p = default;
        var k = i;
        if (!JsonScan.TrySkip(json, ref k, (byte)',', out var status) || !JsonScan.TrySkip(json, ref k, (byte)'{', out status))
        {
            return status;
        }

        var seen = 0;
        if (k < json.Length && json[k] == (byte)'}')
        {
            i = k + 1;
            return ScanStatus.Done;
        }

        while (true)
        {
            if (k >= json.Length || json[k] != (byte)'"')
            {
                return JsonScan.Unexpected(json, k);
            }

            status = JsonScan.ScanPlainString(json, ref k, out var name);
            if (status != ScanStatus.Done)
            {
                return status;
            }

            var property = PortfolioProperties.Exact(name);
            var bit = 1 << (int)property;
            if (property is PortfolioProperty.Unknown or PortfolioProperty.Prices || (seen & bit) != 0)
            {
                return ScanStatus.Fallback;
            }

            seen |= bit;
            if (!JsonScan.TrySkip(json, ref k, (byte)':', out status))
            {
                return status;
            }

            status = property switch
            {
                PortfolioProperty.Id => JsonScan.ScanStringOrNull(json, ref k, out p.Id),
                PortfolioProperty.Model => JsonScan.ScanStringOrNull(json, ref k, out p.Model),
                PortfolioProperty.Assets => ScanAssets(json, ref k, out p.Assets),
                PortfolioProperty.CurrentWeights => ScanWeights(json, ref k, ref p),
                _ => ScanFeatures(json, ref k, ref p),
            };
            if (status != ScanStatus.Done)
            {
                return status;
            }

            k = JsonScan.SkipSpace(json, k);
            if (k < json.Length && json[k] == (byte)'}')
            {
                i = k + 1;
                return ScanStatus.Done;
            }

            if (!JsonScan.TrySkip(json, ref k, (byte)',', out status))
            {
                return status;
            }
        }
    }

    /// <summary>
    /// An asset list of plain strings, or null. A list whose bytes repeat the previous one's gives its array; one with
    /// the same symbols gives it too (as on the reader path), so validation checks a shared list once.
    /// </summary>
    private ScanStatus ScanAssets(ReadOnlySpan<byte> json, ref int i, out string?[]? assets)
    {
        assets = null;
        var start = JsonScan.StartArrayOrNull(json, ref i, out var isArray);
        if (!isArray)
        {
            return start;
        }

        var previous = _previousAssets;
        if (_assetsJson is { } known && previous is not null && ReferenceEquals(_assetsJsonArray, previous) && json[i..].StartsWith(known))
        {
            assets = previous;
            i += known.Length;
            return ScanStatus.Done;
        }

        var symbols = _assetsScratch ??= [];
        symbols.Clear();
        var k = JsonScan.SkipSpace(json, i + 1);
        if (k < json.Length && json[k] == (byte)']')
        {
            k++;
        }
        else
        {
            while (true)
            {
                if (k >= json.Length || json[k] != (byte)'"')
                {
                    return JsonScan.Unexpected(json, k);
                }

                var status = JsonScan.ScanPlainString(json, ref k, out var text);
                if (status != ScanStatus.Done)
                {
                    return status;
                }

                var index = symbols.Count;
                symbols.Add(previous is not null && index < previous.Length && previous[index] is { } same && Ascii.Equals(text, same) ? same : Encoding.ASCII.GetString(text));
                k = JsonScan.SkipSpace(json, k);
                if (k < json.Length && json[k] == (byte)']')
                {
                    k++;
                    break;
                }

                if (!JsonScan.TrySkip(json, ref k, (byte)',', out status))
                {
                    return status;
                }
            }
        }

        assets = previous is not null && previous.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(symbols)) ? previous : [.. symbols];
        _assetsJson = json[i..k].ToArray();
        _assetsJsonArray = assets;
        i = k;
        return ScanStatus.Done;
    }

    /// <summary>A plain weights array or null, into the batch.</summary>
    private ScanStatus ScanWeights(ReadOnlySpan<byte> json, ref int i, ref PortfolioEntry p)
    {
        var status = JsonScan.StartArrayOrNull(json, ref i, out p.HasWeights);
        if (!p.HasWeights)
        {
            return status;
        }

        var start = batch.Weights.Count;
        status = NumberArrays.ScanWeights(json, ref i, batch.Weights, batch.PreviousWeights);
        p.WeightsStart = start;
        p.WeightCount = batch.Weights.Count - start;
        return status;
    }

    /// <summary>A plain features array or null, into the batch.</summary>
    private ScanStatus ScanFeatures(ReadOnlySpan<byte> json, ref int i, ref PortfolioEntry p)
    {
        var status = JsonScan.StartArrayOrNull(json, ref i, out p.HasFeatures);
        if (!p.HasFeatures)
        {
            return status;
        }

        var (features, rows, _) = batch.Mark();
        status = NumberArrays.ScanFeatures(json, ref i, batch.Features, batch.RowWidths, out var width, out var nonFinite);
        p.SetFeatures(features, rows, batch.RowWidths.Count, width, nonFinite);
        return status;
    }

    /// <summary>
    /// On the reader path, scans a plain features or currentWeights array directly (the reader is on its property
    /// name) and resumes the reader after it; false leaves the value to the reader.
    /// </summary>
    private bool TryScanArrayValue(ref Utf8JsonReader reader, ref PortfolioEntry p, PortfolioProperty property)
    {
        if (_afterArrayValue is not { } resume || !_buffer.IsSingleSegment)
        {
            return false;
        }

        var json = _buffer.FirstSpan;
        var i = (int)(_base + reader.BytesConsumed);
        var mark = batch.Mark();
        var entry = p;
        if (!JsonScan.TrySkip(json, ref i, (byte)':', out _) || i >= json.Length || json[i] != (byte)'['
            || (property == PortfolioProperty.Features ? ScanFeatures(json, ref i, ref entry) : ScanWeights(json, ref i, ref entry)) != ScanStatus.Done)
        {
            batch.Rollback(mark);
            return false;
        }

        p = entry;
        reader = new Utf8JsonReader(_buffer.Slice(i), reader.IsFinalBlock, resume);
        _base = i;
        return true;
    }
}
