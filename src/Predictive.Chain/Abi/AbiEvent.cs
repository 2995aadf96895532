namespace Predictive.Chain.Abi;

/// <summary>
/// A contract event: topic 0 is Keccak-256 of the canonical signature, indexed parameters are the next topics,
/// the rest are ABI-encoded in the log data. Parse from e.g. "Transfer(address indexed from, address indexed to, uint256 value)".
/// </summary>
public sealed class AbiEvent
{
    private AbiEvent(string name, IReadOnlyList<AbiParameter> parameters)
    {
        Name = name;
        Parameters = parameters;
        Signature = AbiFunction.CanonicalSignature(name, parameters);
        Topic0 = Nethereum.Util.Sha3Keccack.Current.CalculateHashAsBytes(Signature);
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The parameters in declaration order.</summary>
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <summary>The canonical signature, e.g. "Transfer(address,address,uint256)".</summary>
    public string Signature { get; }

    /// <summary>Keccak-256 of the signature: the first topic of a non-anonymous event's logs.</summary>
    public byte[] Topic0 { get; }

    /// <summary>Parses an event declaration; mark topic parameters with "indexed" (at most three).</summary>
    public static AbiEvent Parse(string declaration)
    {
        var (name, inputs, outputs) = AbiTypeParser.ParseDeclaration(declaration);
        if (outputs.Count > 0)
        {
            throw new AbiException($"event '{declaration}'", "events have no return values");
        }

        if (inputs.Count(p => p.Indexed) > 3)
        {
            throw new AbiException($"event '{declaration}'", "an event has at most three indexed parameters");
        }

        return new AbiEvent(name, inputs);
    }

    /// <summary>
    /// Decodes a log's topics and data into values in declaration order. An indexed parameter of a dynamic type
    /// (string, bytes, arrays, tuples) is stored only as its Keccak-256 hash, so its value is that 32-byte hash.
    /// </summary>
    /// <exception cref="AbiException">The topics do not belong to this event or the data does not decode.</exception>
    public object?[] Decode(IReadOnlyList<byte[]> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var indexed = Parameters.Where(p => p.Indexed).ToList();
        if (topics.Count != indexed.Count + 1 || !topics[0].AsSpan().SequenceEqual(Topic0))
        {
            throw new AbiException(Signature, $"log has {topics.Count} topic(s) or a different topic 0; this event has topic 0 plus {indexed.Count} indexed");
        }

        var dataValues = AbiDecoder.Decode([.. Parameters.Where(p => !p.Indexed).Select(p => p.Type)], data);
        var result = new object?[Parameters.Count];
        int topic = 1, dataIndex = 0;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            if (!parameter.Indexed)
            {
                result[i] = dataValues[dataIndex++];
                continue;
            }

            var word = topics[topic++];
            if (word.Length != 32)
            {
                throw new AbiException(Signature, $"topic {topic - 1} has {word.Length} bytes, not 32");
            }

            var isHashed = parameter.Type.IsDynamic || parameter.Type is AbiTuple or AbiArray;
            result[i] = isHashed ? word.ToArray() : AbiDecoder.DecodeWord(parameter.Type, word, $"{Signature} topic {topic - 1}");
        }

        return result;
    }

    /// <inheritdoc/>
    public override string ToString() => Signature;
}
