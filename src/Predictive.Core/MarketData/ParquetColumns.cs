using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Predictive.Core.MarketData;

/// <summary>Reads one Parquet column as the type a panel needs, whatever physical type the writer chose.</summary>
internal static class ParquetColumns
{
    public static async Task<double[]> ReadDoublesAsync(ParquetRowGroupReader group, DataField field, int n, string source, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(double))
        {
            return await ReadAsync<double>(group, field, n, ct);
        }

        if (type == typeof(float))
        {
            return Array.ConvertAll(await ReadAsync<float>(group, field, n, ct), f => (double)f);
        }

        if (type == typeof(decimal))
        {
            return Array.ConvertAll(await ReadAsync<decimal>(group, field, n, ct), d => (double)d);
        }

        if (type == typeof(long))
        {
            return Array.ConvertAll(await ReadAsync<long>(group, field, n, ct), d => (double)d);
        }

        if (type == typeof(int))
        {
            return Array.ConvertAll(await ReadAsync<int>(group, field, n, ct), d => (double)d);
        }

        throw new MarketDataException(source, null, $"column '{field.Name}' has type {type.Name}; expected a floating-point number.");
    }

    public static async Task<DateTimeOffset[]> ReadTimestampsAsync(ParquetRowGroupReader group, DataField field, int n, string source, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(DateTime))
        {
            return Array.ConvertAll(await ReadAsync<DateTime>(group, field, n, ct),
                d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)));
        }

        if (type == typeof(DateTimeOffset))
        {
            return Array.ConvertAll(await ReadAsync<DateTimeOffset>(group, field, n, ct), d => d.ToUniversalTime());
        }

        if (type == typeof(long))
        {
            return Array.ConvertAll(await ReadAsync<long>(group, field, n, ct), DateTimeOffset.FromUnixTimeMilliseconds);
        }

        if (type == typeof(string))
        {
            var text = await ReadStringsAsync(group, field, n, ct);
            var stamps = new DateTimeOffset[n];
            for (var i = 0; i < n; i++)
            {
                if (!DateTimeOffset.TryParse(text[i], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out stamps[i]))
                {
                    throw new MarketDataException(source, null, $"cannot parse timestamp '{text[i]}' in column '{field.Name}'.");
                }
            }

            return stamps;
        }

        throw new MarketDataException(source, null, $"column '{field.Name}' has type {type.Name}; expected a timestamp, Unix milliseconds or ISO-8601 text.");
    }

    public static async Task<string?[]> ReadStringsAsync(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct)
    {
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory(), null, ct);
        return values;
    }

    // A null becomes NaN (for prices) or the default value (rejected later by the panel builder's checks).
    private static async Task<T[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[n];
            await group.ReadAsync(field, nullable.AsMemory(), null, ct);
            return Array.ConvertAll(nullable, v => v ?? Missing<T>());
        }

        var values = new T[n];
        await group.ReadAsync(field, values.AsMemory(), null, ct);
        return values;
    }

    private static T Missing<T>()
        where T : struct =>
        typeof(T) == typeof(double) ? (T)(object)double.NaN
        : typeof(T) == typeof(float) ? (T)(object)float.NaN
        : default;
}
