using Google.Protobuf;

namespace Predictive.Onnx.Registry;

/// <summary>
/// Reads the <c>opset_import</c> list of a serialized ModelProto (field 8; OperatorSetIdProto has domain = 1 and
/// version = 2), skipping everything else. ONNX Runtime does not expose the opsets of a loaded model.
/// </summary>
internal static class OpsetReader
{
    private const int OpsetImportField = 8;

    /// <summary>Domain → version; the default domain is the empty string (<c>ai.onnx</c> is folded into it).</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a protobuf message.</exception>
    public static IReadOnlyDictionary<string, long> Read(ReadOnlySpan<byte> model)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        var input = new CodedInputStream(model.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == OpsetImportField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var (domain, version) = ReadOpset(input.ReadBytes());
                result[domain == "ai.onnx" ? string.Empty : domain] = version;
            }
            else
            {
                input.SkipLastField();
            }
        }

        return result;
    }

    private static (string Domain, long Version) ReadOpset(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        var domain = string.Empty;
        long version = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    domain = input.ReadString();
                    break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    version = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (domain, version);
    }
}
