using System.Text.Json;

namespace Predictive.Keeper.Running;

/// <summary>The keeper's log: one JSON object per line (time, event, vault and the event's fields), for log shippers.</summary>
public sealed class JsonLineLog(TextWriter writer, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly Lock _gate = new();

    /// <summary>Writes one line: <c>{"time":…,"event":…,…fields}</c>.</summary>
    public void Write(string @event, IReadOnlyDictionary<string, object?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var line = new Dictionary<string, object?>(StringComparer.Ordinal) { ["time"] = time.GetUtcNow(), ["event"] = @event };
        foreach (var (k, v) in fields)
        {
            line[k] = v;
        }

        var text = JsonSerializer.Serialize(line, Json);
        lock (_gate)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }
}
