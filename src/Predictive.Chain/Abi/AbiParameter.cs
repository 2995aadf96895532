namespace Predictive.Chain.Abi;

/// <summary>A parameter in a function, event or error declaration.</summary>
/// <param name="Type">The ABI type.</param>
/// <param name="Name">The name, when the declaration gives one.</param>
/// <param name="Indexed">True for an indexed event parameter (a topic).</param>
public sealed record AbiParameter(AbiType Type, string? Name = null, bool Indexed = false);
