using Google.Protobuf;

namespace Predictive.Onnx.Graph;

/// <summary>
/// Serializes <see cref="OnnxModel"/> as onnx.proto messages with <see cref="CodedOutputStream"/>.
/// Field numbers come from onnx.proto (see <see cref="OnnxFields"/>). Nested messages are written to a
/// scratch buffer first because protobuf prefixes each with its length; models here are small.
/// Repeated scalars that onnx.proto (proto2) does not mark packed are written unpacked, one tag per value.
/// </summary>
internal static class OnnxProtoWriter
{
    public static void WriteModel(OnnxModel model, Stream stream)
    {
        using var output = new CodedOutputStream(stream, leaveOpen: true);
        WriteInt64(output, OnnxFields.Model.IrVersion, model.IrVersion);
        WriteString(output, OnnxFields.Model.ProducerName, model.ProducerName);
        WriteString(output, OnnxFields.Model.ProducerVersion, model.ProducerVersion);
        WriteInt64(output, OnnxFields.Model.ModelVersion, model.ModelVersion);
        if (model.DocString.Length > 0)
        {
            WriteString(output, OnnxFields.Model.DocString, model.DocString);
        }

        WriteMessage(output, OnnxFields.Model.Graph, g => WriteGraph(g, model));
        foreach (var (domain, version) in model.OpsetImports.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteMessage(output, OnnxFields.Model.OpsetImport, o =>
            {
                WriteString(o, OnnxFields.OperatorSetId.Domain, domain);
                WriteInt64(o, OnnxFields.OperatorSetId.Version, version);
            });
        }

        foreach (var (key, value) in model.Metadata)
        {
            WriteMessage(output, OnnxFields.Model.MetadataProps, e =>
            {
                WriteString(e, OnnxFields.StringStringEntry.Key, key);
                WriteString(e, OnnxFields.StringStringEntry.Value, value);
            });
        }
    }

    private static void WriteGraph(CodedOutputStream output, OnnxModel model)
    {
        foreach (var node in model.Nodes)
        {
            WriteMessage(output, OnnxFields.Graph.Node, n => WriteNode(n, node));
        }

        WriteString(output, OnnxFields.Graph.Name, model.GraphName);
        foreach (var tensor in model.Initializers)
        {
            WriteMessage(output, OnnxFields.Graph.Initializer, t => WriteTensor(t, tensor));
        }

        foreach (var input in model.Inputs)
        {
            WriteMessage(output, OnnxFields.Graph.Input, v => WriteValueInfo(v, input));
        }

        foreach (var graphOutput in model.Outputs)
        {
            WriteMessage(output, OnnxFields.Graph.Output, v => WriteValueInfo(v, graphOutput));
        }
    }

    private static void WriteNode(CodedOutputStream output, OnnxNode node)
    {
        foreach (var input in node.Inputs)
        {
            WriteString(output, OnnxFields.Node.Input, input);
        }

        foreach (var nodeOutput in node.Outputs)
        {
            WriteString(output, OnnxFields.Node.Output, nodeOutput);
        }

        WriteString(output, OnnxFields.Node.Name, node.Name);
        WriteString(output, OnnxFields.Node.OpType, node.OpType);
        foreach (var attribute in node.Attributes)
        {
            WriteMessage(output, OnnxFields.Node.Attribute, a => WriteAttribute(a, attribute));
        }

        if (node.Domain.Length > 0)
        {
            WriteString(output, OnnxFields.Node.Domain, node.Domain);
        }
    }

    private static void WriteAttribute(CodedOutputStream output, OnnxAttribute attribute)
    {
        WriteString(output, OnnxFields.Attribute.Name, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float:
                output.WriteTag(OnnxFields.Attribute.F, WireFormat.WireType.Fixed32);
                output.WriteFloat(attribute.FloatValue);
                break;
            case OnnxAttributeType.Int:
                WriteInt64(output, OnnxFields.Attribute.I, attribute.IntValue);
                break;
            case OnnxAttributeType.String:
                WriteString(output, OnnxFields.Attribute.S, attribute.StringValue!);
                break;
            case OnnxAttributeType.Tensor:
                WriteMessage(output, OnnxFields.Attribute.T, t => WriteTensor(t, attribute.TensorValue!));
                break;
            case OnnxAttributeType.Floats:
                foreach (var value in attribute.FloatValues)
                {
                    output.WriteTag(OnnxFields.Attribute.Floats, WireFormat.WireType.Fixed32);
                    output.WriteFloat(value);
                }

                break;
            case OnnxAttributeType.Ints:
                foreach (var value in attribute.IntValues)
                {
                    WriteInt64(output, OnnxFields.Attribute.Ints, value);
                }

                break;
            case OnnxAttributeType.Strings:
                foreach (var value in attribute.StringValues)
                {
                    WriteString(output, OnnxFields.Attribute.Strings, value);
                }

                break;
            default:
                throw new InvalidOperationException($"attribute '{attribute.Name}' has unsupported type {attribute.Type}.");
        }

        WriteInt64(output, OnnxFields.Attribute.Type, (long)attribute.Type);
    }

    private static void WriteTensor(CodedOutputStream output, OnnxTensor tensor)
    {
        foreach (var dim in tensor.Dims)
        {
            WriteInt64(output, OnnxFields.Tensor.Dims, dim);
        }

        WriteInt64(output, OnnxFields.Tensor.DataType, (long)tensor.ElementType);
        if (tensor.Name.Length > 0)
        {
            WriteString(output, OnnxFields.Tensor.Name, tensor.Name);
        }

        output.WriteTag(OnnxFields.Tensor.RawData, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(tensor.RawMemory));
    }

    private static void WriteValueInfo(CodedOutputStream output, OnnxValueInfo value)
    {
        WriteString(output, OnnxFields.ValueInfo.Name, value.Name);
        WriteMessage(output, OnnxFields.ValueInfo.Type, type =>
            WriteMessage(type, OnnxFields.Type.TensorType, tensorType =>
            {
                WriteInt64(tensorType, OnnxFields.TypeTensor.ElemType, (long)value.ElementType);
                WriteMessage(tensorType, OnnxFields.TypeTensor.Shape, shape =>
                {
                    foreach (var dim in value.Shape)
                    {
                        WriteMessage(shape, OnnxFields.TensorShape.Dim, d =>
                        {
                            if (dim.Symbol is { } symbol)
                            {
                                WriteString(d, OnnxFields.Dimension.DimParam, symbol);
                            }
                            else
                            {
                                WriteInt64(d, OnnxFields.Dimension.DimValue, dim.Value!.Value);
                            }
                        });
                    }
                });
            }));
    }

    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> body)
    {
        using var buffer = new MemoryStream();
        using (var nested = new CodedOutputStream(buffer, leaveOpen: true))
        {
            body(nested);
        }

        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)));
    }

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void WriteInt64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }
}
