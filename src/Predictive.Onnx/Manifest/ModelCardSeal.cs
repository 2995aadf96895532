using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;

namespace Predictive.Onnx.Manifest;

/// <summary>
/// Binds the model card in <c>model.json</c> to the model file: training writes the SHA-256 of the card's compact JSON
/// into the ONNX metadata (<see cref="ModelMetadataKeys.ModelCardSha256"/>), so the manifest's pinned ONNX hash (and
/// the hashes governance approves) cover the card. <see cref="ModelPackage.Open"/> refuses a card that does not match
/// its pin, a pinned card that is missing, and a card the model does not pin (a card cannot be added after training).
/// </summary>
public static class ModelCardSeal
{
    /// <summary>The manifest property that holds the card.</summary>
    public const string Property = "card";

    /// <summary>
    /// Lower-case hex SHA-256 of the card's compact JSON (<see cref="JsonNode.ToJsonString"/> with the default options:
    /// no whitespace, properties in their order, numbers as written). Re-indenting <c>model.json</c> keeps the hash;
    /// changing, adding, removing or reordering anything in the card changes it.
    /// </summary>
    public static string Hash(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(card.ToJsonString())));
    }

    /// <summary>
    /// The card an imported model file must travel with: null when <paramref name="model"/> pins none, else the card of
    /// <paramref name="manifestPath"/> (the <c>model.json</c> beside the file) when its hash is the pin.
    /// </summary>
    /// <exception cref="InvalidDataException">The model pins a card and no such manifest carries it.</exception>
    public static JsonObject? CardFor(byte[] model, string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        if (PinOrNull(model) is not { } pinned)
        {
            return null;
        }

        var card = File.Exists(manifestPath) ? (JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject)?[Property] as JsonObject : null;
        return card is not null && string.Equals(Hash(card), pinned, StringComparison.OrdinalIgnoreCase)
            ? (JsonObject)card.DeepClone()
            : throw new InvalidDataException($"the model pins a model card (SHA-256 {pinned}) and '{manifestPath}' does not carry it; a card is written at training time and travels with its model: import the model from its own folder.");
    }

    // The pin, or null when there is none or the bytes are not a readable model (the loader's later checks refuse those).
    private static string? PinOrNull(byte[] model)
    {
        try
        {
            return OnnxMetadataReader.Find(model, ModelMetadataKeys.ModelCardSha256);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Checks the card of a manifest against the ONNX bytes it pins.</summary>
    /// <param name="directory">The model directory, for the message.</param>
    /// <param name="manifest">The parsed <c>model.json</c>.</param>
    /// <param name="model">The ONNX bytes, already checked against the manifest's SHA-256.</param>
    /// <exception cref="ModelIntegrityException">The card and the model's pin disagree.</exception>
    public static void Verify(string directory, JsonObject manifest, byte[] model)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(model);
        var node = manifest[Property];
        if (node is not null and not JsonObject)
        {
            throw new ModelIntegrityException(directory, $"{ModelManifest.FileName}'s {Property} is a {node.GetValueKind()}, not an object");
        }

        var card = node as JsonObject;
        string? pinned;
        try
        {
            pinned = OnnxMetadataReader.Find(model, ModelMetadataKeys.ModelCardSha256);
        }
        catch (InvalidDataException) when (card is null)
        {
            // Not a readable model and no card to check: the loader's later checks (opset, ONNX Runtime) refuse it by name.
            return;
        }
        catch (InvalidDataException e)
        {
            throw new ModelIntegrityException(directory, $"{ModelManifest.FileName} carries a model card, but the model's pin cannot be read: {e.Message}", e);
        }

        switch (pinned, card)
        {
            case (null, null):
                return;
            case (null, not null):
                throw new ModelIntegrityException(directory, $"{ModelManifest.FileName} carries a model card that the model does not pin ({ModelMetadataKeys.ModelCardSha256} is absent): a card cannot be added after training");
            case (not null, null):
                throw new ModelIntegrityException(directory, $"the model pins a model card (SHA-256 {pinned}), but {ModelManifest.FileName} has none");
        }

        var actual = Hash(card);
        if (!string.Equals(actual, pinned, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelIntegrityException(directory, $"{ModelManifest.FileName}'s model card has SHA-256 {actual}, but the model pins {pinned}: the card was changed after training");
        }
    }
}
