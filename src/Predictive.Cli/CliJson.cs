using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Predictive.Cli;

/// <summary>The one JSON style of the command line: compact, camel-case names as declared, invariant numbers.</summary>
public static class CliJson
{
    /// <summary>The serializer options used for every <c>--json</c> output.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="value"/> as one JSON line.</summary>
    public static Task WriteAsync<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteLineAsync(JsonSerializer.Serialize(value, Options));
    }
}
