using Predictive.Chain.Oracle;
using Predictive.Chain.Rpc;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Pass;

/// <summary>
/// The keeper's seam for the oracle: the feeds' verdict (prices, or the checks that failed) at the latest block. The
/// guards' reference prices come only from here, never from the market-data source.
/// </summary>
public interface IKeeperOracle
{
    /// <summary>The gate's verdict now.</summary>
    Task<OracleDecision> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The oracle through the chain's <see cref="OracleGate"/> over the vault's feeds (chain.json).</summary>
public sealed class OracleGateKeeperOracle : IKeeperOracle
{
    private readonly OracleGate _gate;
    private readonly OracleAsset _quote;
    private readonly IReadOnlyList<OracleAsset> _assets;
    private readonly int _quoteDecimals;

    /// <summary>Creates the oracle for <paramref name="vault"/>.</summary>
    /// <exception cref="ArgumentException">chain.json names no feeds.</exception>
    public OracleGateKeeperOracle(EvmRpcClient client, VaultSettings vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        (_quote, _assets) = vault.Manifest.ToOracle() ?? throw new ArgumentException($"vault {vault.Name}: its chain.json names no price feeds.", nameof(vault));
        _quoteDecimals = vault.Manifest.QuoteToken.Decimals;
        _gate = new OracleGate(client, vault.Oracle);
    }

    /// <inheritdoc />
    public Task<OracleDecision> CheckAsync(CancellationToken cancellationToken) => _gate.CheckAsync(_quote, _assets, _quoteDecimals, cancellationToken);
}
