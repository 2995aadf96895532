using Google.Protobuf;

namespace Predictive.Onnx.Graph;

/// <summary>
/// Reads a serialized model's <c>metadata_props</c> (onnx.proto <c>ModelProto</c> field 14) without parsing the graph:
/// every other top-level field is skipped by its length. Used to check a manifest against the model before ONNX
/// Runtime sees the file.
/// </summary>
public static class OnnxMetadataReader
{
    /// <summary>The metadata entries, in file order.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entries = new List<KeyValuePair<string, string>>();
        try
        {
            var input = new CodedInputStream(model);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == OnnxFields.Model.MetadataProps && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    entries.Add(Entry(input.ReadBytes()));
                }
                else
                {
                    input.SkipLastField();
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"the model is not a well-formed ONNX protobuf ({e.Message}).", e);
        }

        return entries;
    }

    /// <summary>The value of <paramref name="key"/>, or null when the model has no such entry.</summary>
    /// <exception cref="InvalidDataException">The bytes are malformed, or the key appears more than once.</exception>
    public static string? Find(byte[] model, string key)
    {
        var matches = Read(model).Where(p => p.Key == key).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0].Value,
            _ => throw new InvalidDataException($"the model carries metadata key '{key}' {matches.Count} times."),
        };
    }

    private static KeyValuePair<string, string> Entry(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string key = string.Empty, value = string.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case OnnxFields.StringStringEntry.Key when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    key = input.ReadString();
                    break;
                case OnnxFields.StringStringEntry.Value when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    value = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new KeyValuePair<string, string>(key, value);
    }
}
