namespace Predictive.Chain.Abi;

/// <summary>A custom error declaration, e.g. "InsufficientBalance(uint256 available, uint256 required)".</summary>
public sealed class AbiError
{
    private AbiError(string name, IReadOnlyList<AbiParameter> parameters)
    {
        Name = name;
        Parameters = parameters;
        Signature = AbiFunction.CanonicalSignature(name, parameters);
        Selector = Nethereum.Util.Sha3Keccack.Current.CalculateHashAsBytes(Signature)[..4];
    }

    /// <summary>The error name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <summary>The canonical signature.</summary>
    public string Signature { get; }

    /// <summary>The 4-byte selector that starts the revert data.</summary>
    public byte[] Selector { get; }

    /// <summary>Parses an error declaration.</summary>
    public static AbiError Parse(string declaration)
    {
        var (name, inputs, outputs) = AbiTypeParser.ParseDeclaration(declaration);
        if (outputs.Count > 0 || inputs.Any(p => p.Indexed))
        {
            throw new AbiException($"error '{declaration}'", "errors take plain parameters only");
        }

        return new AbiError(name, inputs);
    }

    /// <summary>Encodes revert data for this error (as a contract would).</summary>
    public byte[] Encode(params object?[] arguments) => [.. Selector, .. AbiEncoder.Encode([.. Parameters.Select(p => p.Type)], arguments)];

    internal bool Matches(ReadOnlySpan<byte> data) => data.Length >= 4 && data[..4].SequenceEqual(Selector);

    internal object?[] DecodeArguments(ReadOnlySpan<byte> data) => AbiDecoder.Decode([.. Parameters.Select(p => p.Type)], data[4..]);

    /// <inheritdoc/>
    public override string ToString() => Signature;
}
