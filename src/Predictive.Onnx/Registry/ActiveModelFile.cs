using System.Text.Json;
using System.Text.Json.Serialization;

namespace Predictive.Onnx.Registry;

/// <summary>
/// The ungoverned activation record, <c>&lt;models&gt;/active.json</c>: which model is the default, and every earlier
/// activation (newest last) so that a rollback can step back. The service reads it on start; the admin API, the
/// <c>predictive models activate/rollback</c> commands and the operator's promotion write it. Writes go to a temporary
/// file that replaces the record in one rename, so a reader sees the old record or the new one, never half of either.
/// </summary>
public static class ActiveModelFile
{
    /// <summary>The record's file name inside the models directory.</summary>
    public const string FileName = "active.json";

    /// <summary>How many activations the history keeps.</summary>
    public const int HistoryLimit = 100;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private static readonly Lock WriteGate = new();

    /// <summary>The record's path inside <paramref name="modelsDirectory"/>.</summary>
    public static string PathIn(string modelsDirectory) => Path.Combine(modelsDirectory, FileName);

    /// <summary>Reads the record; null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid record; the message names it.</exception>
    public static ActiveModelRecord? Read(string modelsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        var path = PathIn(modelsDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize<ActiveModelRecord>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path} is empty.");
            if (record.History is not { Count: > 0 } || record.History.Any(e => string.IsNullOrWhiteSpace(e.Key) || e.Key.Split('/').Length != 2))
            {
                throw new InvalidDataException($"{path} has no activation history, or an entry that is not name/version.");
            }

            return record;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not an activation record: {e.Message}", e);
        }
    }

    /// <summary>The active model's key (<c>name/version</c>), or null when nothing was ever activated.</summary>
    public static string? ActiveKey(string modelsDirectory) => Read(modelsDirectory)?.Active.Key;

    /// <summary>
    /// Records <paramref name="activation"/> as the active model. Activating the model that is already active changes
    /// nothing (so the admin API and a command may both record one activation without doubling the history).
    /// </summary>
    public static ActiveModelRecord Activate(string modelsDirectory, ActiveModelEntry activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        lock (WriteGate)
        {
            var before = Read(modelsDirectory);
            if (before is not null && before.Active.Key == activation.Key && before.Active.Sha256 == activation.Sha256)
            {
                return before;
            }

            var history = (before?.History ?? []).Append(activation).TakeLast(HistoryLimit).ToList();
            var record = new ActiveModelRecord(history);
            Write(modelsDirectory, record);
            return record;
        }
    }

    /// <summary>
    /// Steps back to the activation before the current one: the current entry leaves the history, and the previous one
    /// (recorded again with <paramref name="at"/>) becomes active.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no earlier activation to return to.</exception>
    public static ActiveModelRecord Rollback(string modelsDirectory, string by, DateTimeOffset at)
    {
        lock (WriteGate)
        {
            var before = Read(modelsDirectory);
            if (before is null || before.History.Count < 2)
            {
                throw new InvalidOperationException($"{PathIn(modelsDirectory)} holds no earlier activation to roll back to.");
            }

            var previous = before.History[^2];
            var history = before.History.Take(before.History.Count - 2).Append(previous with { By = by, At = at, Reason = $"rollback from {before.Active.Key}" }).ToList();
            var record = new ActiveModelRecord(history);
            Write(modelsDirectory, record);
            return record;
        }
    }

    private static void Write(string modelsDirectory, ActiveModelRecord record)
    {
        Directory.CreateDirectory(modelsDirectory);
        var path = PathIn(modelsDirectory);
        var temporary = Path.Combine(modelsDirectory, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(record, JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>One activation.</summary>
/// <param name="Key">The model, <c>name/version</c>.</param>
/// <param name="Sha256">The SHA-256 of its <c>model.onnx</c> when activated.</param>
/// <param name="At">When it was activated.</param>
/// <param name="By">Who activated it (admin API, command line, operator).</param>
/// <param name="Reason">Why, in a few words; may be null.</param>
public sealed record ActiveModelEntry(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("reason")] string? Reason = null);

/// <summary>The activation record: every activation, newest last; the last one is active.</summary>
/// <param name="History">Every activation, oldest first.</param>
public sealed record ActiveModelRecord([property: JsonPropertyName("history")] IReadOnlyList<ActiveModelEntry> History)
{
    /// <summary>The active model.</summary>
    [JsonIgnore]
    public ActiveModelEntry Active => History[^1];
}
