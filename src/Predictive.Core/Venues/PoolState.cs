namespace Predictive.Core.Venues;

/// <summary>A constant-product pool's reserves at one moment (token units) and its fee.</summary>
/// <param name="Id">The pool's name, <c>TOKEN0/TOKEN1</c>.</param>
/// <param name="Token0">The first token.</param>
/// <param name="Token1">The second token (the quote asset for an asset/quote pool).</param>
/// <param name="Reserve0">The reserve of <paramref name="Token0"/>.</param>
/// <param name="Reserve1">The reserve of <paramref name="Token1"/>.</param>
/// <param name="FeeBps">The fee taken from the input, in basis points.</param>
public sealed record PoolState(string Id, string Token0, string Token1, decimal Reserve0, decimal Reserve1, int FeeBps)
{
    /// <summary>Whether the pool trades <paramref name="token"/>.</summary>
    public bool Contains(string token) => token == Token0 || token == Token1;

    /// <summary>The reserve of <paramref name="token"/>.</summary>
    /// <exception cref="ArgumentException">The pool does not hold the token.</exception>
    public decimal ReserveOf(string token) =>
        token == Token0 ? Reserve0 : token == Token1 ? Reserve1 : throw new ArgumentException($"Pool {Id} does not hold '{token}'.", nameof(token));

    /// <summary>The other token of the pair.</summary>
    public string Other(string token) =>
        token == Token0 ? Token1 : token == Token1 ? Token0 : throw new ArgumentException($"Pool {Id} does not hold '{token}'.", nameof(token));

    /// <summary>The pool's marginal (mid) price of <paramref name="token"/> in units of the other token, before fees.</summary>
    public double MidPrice(string token) => (double)(ReserveOf(Other(token)) / ReserveOf(token));
}
