using Predictive.Keeper.Configuration;
using Predictive.Keeper.Market;

namespace Predictive.Keeper.Targets;

/// <summary>Where a pass's target weights come from: the targets service (the keeper), or weights given up front (<c>predictive rebalance</c>).</summary>
public interface ITargetsSource
{
    /// <summary>The targets for <paramref name="vault"/> now.</summary>
    /// <param name="vault">The vault.</param>
    /// <param name="currentWeights">Symbol → weight held now, at oracle prices (cash under the quote token).</param>
    /// <param name="chainTime">The chain head's time: market data after it is not used.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="TargetsRefusedException">The source cannot give targets now; the message says why.</exception>
    Task<ServiceTargets> GetAsync(VaultSettings vault, IReadOnlyDictionary<string, double> currentWeights, DateTimeOffset chainTime, CancellationToken cancellationToken);
}

/// <summary>Targets from the service for the vault's market-data window (<see cref="IMarketDataSource"/>, <see cref="TargetsClient"/>).</summary>
public sealed class ServiceTargetsSource(HttpClient service, IMarketDataSource window) : ITargetsSource
{
    private readonly TargetsClient _client = new(service);
    private readonly IMarketDataSource _window = window;
    private readonly Dictionary<string, Governance.GovernedTargets> _governed = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<ServiceTargets> GetAsync(VaultSettings vault, IReadOnlyDictionary<string, double> currentWeights, DateTimeOffset chainTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var assets = vault.Manifest.Assets.Select(a => a.Symbol).ToList();
        var bars = await _window.AtAsync(assets, chainTime, cancellationToken).ConfigureAwait(false);
        if (vault.Governance is { } governance)
        {
            // Governed: only the registry's active version, checked against its on-chain SHA-256 (Governance/GovernedTargets),
            // read through one node client per vault that lives as long as this source.
            if (!_governed.TryGetValue(vault.Name, out var governed))
            {
                governed = _governed[vault.Name] = new Governance.GovernedTargets(governance, new Chain.Rpc.EvmRpcClient(new Chain.Rpc.RpcClientOptions { Endpoint = vault.RpcUrl }));
            }

            return await governed.GetAsync(vault, pinned => AskAsync(pinned, currentWeights, bars, cancellationToken)).ConfigureAwait(false);
        }

        return await AskAsync(vault, currentWeights, bars, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ServiceTargets> AskAsync(VaultSettings vault, IReadOnlyDictionary<string, double> currentWeights, Core.MarketData.PricePanel bars, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync(vault.Portfolio, vault.Model, currentWeights, bars, cancellationToken).ConfigureAwait(false);
        }
        catch (TargetsRefusedException e) when (e.MissingVolume)
        {
            throw new TargetsRefusedException($"the market data source {_window.Name} has no volume, and the model's features use volume: {e.Message}", true, e);
        }
    }
}

/// <summary>Weights given up front (a targets file, or a local model's output), with the model that made them if any.</summary>
public sealed class FixedTargetsSource(ServiceTargets targets) : ITargetsSource
{
    /// <inheritdoc />
    public Task<ServiceTargets> GetAsync(VaultSettings vault, IReadOnlyDictionary<string, double> currentWeights, DateTimeOffset chainTime, CancellationToken cancellationToken) =>
        Task.FromResult(targets);
}
