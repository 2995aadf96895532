namespace Predictive.Chain.Abi;

/// <summary>
/// A contract function: its canonical signature, 4-byte selector, call encoding and return decoding.
/// Parse from a declaration such as "balanceOf(address owner) returns (uint256)".
/// </summary>
public sealed class AbiFunction
{
    private AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Signature = CanonicalSignature(name, inputs);
        Selector = Nethereum.Util.Sha3Keccack.Current.CalculateHashAsBytes(Signature)[..4];
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The return values (empty when the declaration has no "returns").</summary>
    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>The canonical signature, e.g. "transfer(address,uint256)".</summary>
    public string Signature { get; }

    /// <summary>The first four bytes of Keccak-256(<see cref="Signature"/>).</summary>
    public byte[] Selector { get; }

    /// <summary>Parses "name(type [name], …) [returns (type [name], …)]".</summary>
    /// <exception cref="AbiException">The declaration cannot be parsed.</exception>
    public static AbiFunction Parse(string declaration)
    {
        var (name, inputs, outputs) = AbiTypeParser.ParseDeclaration(declaration);
        if (inputs.Any(p => p.Indexed))
        {
            throw new AbiException($"function '{declaration}'", "'indexed' belongs to event parameters only");
        }

        return new AbiFunction(name, inputs, outputs);
    }

    /// <summary>Selector ‖ encoded arguments: the data of a call to this function.</summary>
    public byte[] EncodeCall(params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return [.. Selector, .. AbiEncoder.Encode([.. Inputs.Select(p => p.Type)], arguments)];
    }

    /// <summary>Decodes call data (selector ‖ arguments) back into argument values, checking the selector.</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> callData)
    {
        if (callData.Length < 4 || !callData[..4].SequenceEqual(Selector))
        {
            throw new AbiException(Signature, "call data does not start with this function's selector");
        }

        return AbiDecoder.Decode([.. Inputs.Select(p => p.Type)], callData[4..]);
    }

    /// <summary>Decodes the data returned by eth_call into the declared return values.</summary>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiDecoder.Decode([.. Outputs.Select(p => p.Type)], returnData);

    /// <inheritdoc/>
    public override string ToString() => Signature;

    internal static string CanonicalSignature(string name, IEnumerable<AbiParameter> parameters) =>
        name + "(" + string.Join(",", parameters.Select(p => p.Type.Canonical)) + ")";
}
