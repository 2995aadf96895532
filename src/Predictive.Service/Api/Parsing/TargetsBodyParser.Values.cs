using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Predictive.Service.Api.Parsing;

/// <summary>The values of a portfolio: strings, the asset list, and the number arrays that go into the tensors.</summary>
internal sealed partial class TargetsBodyParser
{
    private bool ReadString(ref Utf8JsonReader reader, ref string? value)
    {
        if (!reader.Read())
        {
            return false;
        }

        value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,

            // System.Text.Json names the record, not the property's type, for a constructor parameter.
            _ => throw NotConvertible(Path(), PortfolioType),
        };
        return true;
    }

    /// <summary>Reads the value after a property name: false when it has not arrived; null gives <paramref name="isArray"/> false.</summary>
    private bool StartArray(ref Utf8JsonReader reader, string type, out bool isArray)
    {
        isArray = false;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        isArray = reader.TokenType == JsonTokenType.StartArray ? true : throw NotConvertible(Path(), type);
        return true;
    }

    private bool ReadAssets(ref Utf8JsonReader reader, ref PortfolioEntry p)
    {
        if (!StartArray(ref reader, typeof(IReadOnlyList<string>).ToString(), out var isArray))
        {
            return false;
        }

        if (!isArray)
        {
            p.Assets = null;
            return true;
        }

        // While the symbols match the previous portfolio's, nothing is allocated.
        var previous = _previousAssets;
        List<string?>? own = null;
        for (_i = 0; ; _i++)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                p.Assets = own is not null ? [.. own] : previous is not null && previous.Length == _i ? previous : previous.AsSpan(0, _i).ToArray();
                _i = -1;
                return true;
            }

            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
            {
                throw NotConvertible(Path(), typeof(string).ToString());
            }

            if (own is null)
            {
                if (previous is not null && _i < previous.Length && reader.TokenType == JsonTokenType.String && previous[_i] is { } same && reader.ValueTextEquals(same))
                {
                    continue;
                }

                own = new List<string?>(previous?.Length ?? 8);
                own.AddRange(previous.AsSpan(0, _i));
            }

            own.Add(reader.TokenType == JsonTokenType.Null ? null : reader.GetString());
        }
    }

    private bool ReadWeights(ref Utf8JsonReader reader, ref PortfolioEntry p)
    {
        if (TryScanArrayValue(ref reader, ref p, PortfolioProperty.CurrentWeights))
        {
            return true;
        }

        if (!StartArray(ref reader, typeof(double[]).ToString(), out var isArray))
        {
            return false;
        }

        if (!isArray)
        {
            p.HasWeights = false;
            return true;
        }

        var start = batch.Weights.Count;
        for (_i = 0; ; _i++)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            var w = ReadNumber(ref reader);
            batch.Weights.Add(w);
            batch.PreviousWeights.Add((float)w);
        }

        p.HasWeights = true;
        p.WeightsStart = start;
        p.WeightCount = batch.Weights.Count - start;
        _i = -1;
        _afterArrayValue ??= reader.CurrentState;
        return true;
    }

    private bool ReadFeatures(ref Utf8JsonReader reader, ref PortfolioEntry p)
    {
        if (TryScanArrayValue(ref reader, ref p, PortfolioProperty.Features))
        {
            return true;
        }

        if (!StartArray(ref reader, typeof(double[][]).ToString(), out var isArray))
        {
            return false;
        }

        if (!isArray)
        {
            p.HasFeatures = false;
            return true;
        }

        var features = batch.Features;
        var start = features.Count;
        var rowsStart = batch.RowWidths.Count;
        var width = -2;
        var nonFinite = false;
        for (_i = 0; ; _i++)
        {
            _j = -1;
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                batch.RowWidths.Add(-1);
                width = -1;
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw NotConvertible(Path(), typeof(double[]).ToString());
            }

            var rowStart = features.Count;
            for (_j = 0; ; _j++)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                features.Add(NumberArrays.ToFeature(ReadNumber(ref reader), ref nonFinite));
            }

            var rowWidth = features.Count - rowStart;
            batch.RowWidths.Add(rowWidth);
            width = width == -2 || width == rowWidth ? rowWidth : -1;
        }

        p.SetFeatures(start, rowsStart, batch.RowWidths.Count, width, nonFinite);
        _i = _j = -1;
        _afterArrayValue ??= reader.CurrentState;
        return true;
    }

    private bool ReadPrices(ref Utf8JsonReader reader, ref PortfolioEntry p)
    {
        // The serializer needs the whole value at hand: wait until it has arrived.
        var probe = reader;
        try
        {
            if (!probe.TrySkip())
            {
                return false;
            }

            p.Prices = JsonSerializer.Deserialize(ref reader, ServiceJsonContext.Default.PriceHistory);
            return true;
        }
        catch (JsonException e) when (e.Path is null)
        {
            // Invalid JSON inside the value: deserializing the bytes from the value on meets it with its path.
            throw Invalid(_buffer.Slice(reader.Position).ToArray());
        }
        catch (JsonException e)
        {
            throw PricesError(e);
        }
    }

    private BodyException Invalid(byte[] fromValue)
    {
        try
        {
            JsonSerializer.Deserialize(fromValue, ServiceJsonContext.Default.PriceHistory);
        }
        catch (JsonException e)
        {
            return PricesError(e);
        }

        return new BodyException(Path(), "Is not valid JSON.");
    }

    private BodyException PricesError(JsonException e)
    {
        var inner = e.Path is null or "$" ? string.Empty : e.Path.TrimStart('$');
        return new BodyException(Path() + inner, JsonMessages.Describe(e.Message));
    }

    /// <summary>A JSON number, or a string holding one (the API accepts both, as the Web defaults of System.Text.Json do).</summary>
    private double ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number
            && ((!reader.HasValueSequence && JsonNumber.TryParse(reader.ValueSpan, out var value)) || reader.TryGetDouble(out value)))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String && TryParseQuoted(ref reader, out value))
        {
            return value;
        }

        throw NotConvertible(Path(), typeof(double).ToString());
    }

    private static bool TryParseQuoted(ref Utf8JsonReader reader, out double value)
    {
        Span<byte> scratch = stackalloc byte[64];
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > scratch.Length)
        {
            value = 0;
            return false;
        }

        var written = reader.CopyString(scratch);
        return Utf8Parser.TryParse(scratch[..written], out value, out var used) && used == written;
    }
}
