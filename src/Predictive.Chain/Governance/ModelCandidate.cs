using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nethereum.Util;

namespace Predictive.Chain.Governance;

/// <summary>
/// A model directory as governance sees it: its name and version (from model.json), the SHA-256 of the ONNX file and
/// of model.json computed here from the bytes on disk (never taken from model.json's own claim), and the validation
/// metrics the proposal's description quotes.
/// </summary>
/// <param name="Name">The model's name; its registry id is keccak-256 of the UTF-8 name.</param>
/// <param name="Version">The version (a positive integer).</param>
/// <param name="OnnxSha256">SHA-256 of the ONNX file.</param>
/// <param name="ManifestSha256">SHA-256 of model.json.</param>
/// <param name="ValidationMetrics">model.json's validation_metrics (name → value), possibly empty.</param>
public sealed record ModelCandidate(string Name, ulong Version, byte[] OnnxSha256, byte[] ManifestSha256, IReadOnlyDictionary<string, double> ValidationMetrics)
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "model.json";

    /// <summary>The registry id of a model name: keccak-256 of its UTF-8 bytes.</summary>
    public static byte[] ModelIdOf(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(name));
    }

    /// <summary>The registry id of this model.</summary>
    public byte[] ModelId => ModelIdOf(Name);

    /// <summary>The URI recorded on chain: where the model is found by name and version.</summary>
    public string Uri => $"predictive-model:{Name}/{Version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads a model directory (model.json and the ONNX file it names).</summary>
    /// <exception cref="DirectoryNotFoundException">No such directory.</exception>
    /// <exception cref="InvalidDataException">model.json is missing, malformed, or names no usable file or version.</exception>
    public static ModelCandidate FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"--model: directory '{directory}' does not exist.");
        }

        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new InvalidDataException($"--model: '{directory}' has no {ManifestFile}.");
        }

        var manifestBytes = File.ReadAllBytes(manifestPath);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(manifestBytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"--model: '{manifestPath}' is not JSON: {e.Message}", e);
        }

        var name = Text(root, "name", manifestPath);
        var versionText = Text(root, "version", manifestPath);
        if (!ulong.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version == 0)
        {
            throw new InvalidDataException($"--model: '{manifestPath}' has version '{versionText}'; the registry needs a positive integer.");
        }

        var modelFile = root.TryGetProperty("model_file", out var file) && file.ValueKind == JsonValueKind.String ? file.GetString()! : "model.onnx";
        if (Path.IsPathRooted(modelFile) || modelFile.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"--model: '{manifestPath}' names model_file '{modelFile}' outside its directory.");
        }

        var onnxPath = Path.Combine(directory, modelFile);
        if (!File.Exists(onnxPath))
        {
            throw new InvalidDataException($"--model: '{manifestPath}' names model_file '{modelFile}', which does not exist.");
        }

        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (root.TryGetProperty("validation_metrics", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
            {
                metrics[p.Name] = p.Value.GetDouble();
            }
        }

        return new ModelCandidate(name, version, FileSha256(onnxPath), SHA256.HashData(manifestBytes), metrics);
    }

    /// <summary>SHA-256 of a file's bytes, streamed.</summary>
    public static byte[] FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }

    /// <summary>The proposal text: what is approved, both hashes, and the validation metrics.</summary>
    public string Describe(bool activate, string? summary)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {(activate ? "Approve and activate" : "Approve")} model {Name} v{Version}\n\n");
        if (!string.IsNullOrWhiteSpace(summary))
        {
            text.Append(summary.Trim()).Append("\n\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"- onnx sha256: {Convert.ToHexStringLower(OnnxSha256)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- manifest sha256: {Convert.ToHexStringLower(ManifestSha256)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- uri: {Uri}\n");
        if (ValidationMetrics.Count > 0)
        {
            text.Append("\nValidation metrics:\n");
            foreach (var (key, value) in ValidationMetrics)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {key}: {value:G6}\n");
            }
        }

        return text.ToString();
    }

    private static string Text(JsonElement root, string property, string path) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new InvalidDataException($"--model: '{path}' has no \"{property}\" string.");
}
