using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Deployment;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Chain.Venue;

namespace Predictive.Chain.LocalChain;

/// <summary>What to deploy on a local chain.</summary>
public sealed record LocalChainSetup
{
    /// <summary>The assets and their prices in quote units, in weight order.</summary>
    public required IReadOnlyList<KeyValuePair<string, decimal>> Prices { get; init; }

    /// <summary>The quote token's symbol (6 decimals). The default value is "USDC".</summary>
    public string QuoteSymbol { get; init; } = "USDC";

    /// <summary>Decimals of the asset tokens. The default value is 18.</summary>
    public int AssetDecimals { get; init; } = 18;

    /// <summary>Quote-side liquidity of each pool. The default value is 10,000,000.</summary>
    public decimal PoolDepthQuote { get; init; } = 10_000_000m;

    /// <summary>The vault's value, spread equally over the quote token and each asset. The default value is 100,000.</summary>
    public decimal VaultValueQuote { get; init; } = 100_000m;

    /// <summary>The vault's largest allowed slippage floor, in basis points. The default value is 100.</summary>
    public int MaxSlippageBps { get; init; } = 100;
}

/// <summary>
/// Deploys the demo world on a local node from dev account 0: the quote token (6 decimals), one test token per asset,
/// WETH9, the Uniswap V2 factory and router, an asset/quote pool per asset seeded at its price, and a vault owned by
/// dev account 0 with dev account 1 as keeper, every token, pool and the router whitelisted, limits set, and funded.
/// </summary>
public static class LocalChainDeployer
{
    private const int QuoteDecimals = 6;

    /// <summary>Deploys and returns the manifest (without pid and log file, which the caller adds).</summary>
    public static async Task<LocalChainManifest> DeployAsync(
        EvmRpcClient client, Uri rpcUrl, ContractArtifacts artifacts, LocalChainSetup setup, string stateDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(rpcUrl);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Prices.Count == 0 || setup.Prices.Any(p => !(p.Value > 0)))
        {
            throw new ArgumentException("Every asset needs a positive price.", nameof(setup));
        }

        Directory.CreateDirectory(stateDirectory);
        var options = new TransactionManagerOptions { PollInterval = TimeSpan.FromMilliseconds(25), MaxFeePerGasCapGwei = 1_000m };
        using var owner = new TransactionManager(
            client, AnvilDevAccounts.Owner, ExecutionJournal.Open(Path.Combine(stateDirectory, "owner.journal.jsonl")), options, knownErrors: VaultAbi.Errors);
        var tokens = new TokenDeployer(owner, artifacts);
        var share = setup.VaultValueQuote / (setup.Prices.Count + 1);

        var quote = await tokens.DeployAsync("USD Coin (test)", setup.QuoteSymbol, QuoteDecimals, cancellationToken).ConfigureAwait(false);
        var quotePerPool = TokenAmounts.ToRaw(setup.PoolDepthQuote, QuoteDecimals, UnitRounding.Down);
        var quoteForVault = TokenAmounts.ToRaw(share, QuoteDecimals, UnitRounding.Down);
        await tokens.MintAsync(quote, owner.Account, (quotePerPool * setup.Prices.Count) + quoteForVault, $"mint:{setup.QuoteSymbol}", cancellationToken).ConfigureAwait(false);

        var uniswapDeployer = new UniswapV2Deployer(owner, artifacts);
        var uniswap = await uniswapDeployer.DeployAsync(cancellationToken).ConfigureAwait(false);
        var assets = new List<ManifestToken>();
        var funding = new Dictionary<Crypto.EthAddress, BigInteger> { [quote] = quoteForVault };
        var pools = new List<Crypto.EthAddress>();
        foreach (var (symbol, price) in setup.Prices)
        {
            var token = await tokens.DeployAsync($"{symbol} (test)", symbol, (byte)setup.AssetDecimals, cancellationToken).ConfigureAwait(false);
            var poolBase = TokenAmounts.ToRaw(setup.PoolDepthQuote / price, setup.AssetDecimals, UnitRounding.Down);
            var vaultBase = TokenAmounts.ToRaw(share / price, setup.AssetDecimals, UnitRounding.Down);
            await tokens.MintAsync(token, owner.Account, poolBase + vaultBase, $"mint:{symbol}", cancellationToken).ConfigureAwait(false);
            var pool = await uniswapDeployer.CreatePoolAsync(uniswap, token, poolBase, quote, quotePerPool, cancellationToken).ConfigureAwait(false);
            funding[token] = vaultBase;
            pools.Add(pool);
            assets.Add(new ManifestToken(symbol, token.ToString(), setup.AssetDecimals, pool.ToString(), price));
        }

        var vault = await new VaultDeployer(owner, artifacts).DeployAsync("vault", new VaultSettings
        {
            QuoteToken = quote,
            Keeper = AnvilDevAccounts.Keeper.Address,
            Routers = [uniswap.Router],
            Assets = [.. assets.Select(a => Crypto.EthAddress.Parse(a.Address))],
            Pools = pools,
            // The demo vault may turn over its whole value in one swap and ten times it per day.
            MaxTradeQuote = TokenAmounts.ToRaw(setup.VaultValueQuote, QuoteDecimals, UnitRounding.Down),
            DailyCapQuote = TokenAmounts.ToRaw(setup.VaultValueQuote * 10, QuoteDecimals, UnitRounding.Down),
            MaxSlippageBps = setup.MaxSlippageBps,
            Funding = funding,
        }, cancellationToken).ConfigureAwait(false);

        return new LocalChainManifest
        {
            RpcUrl = rpcUrl.ToString(),
            ChainId = AnvilDevAccounts.ChainId,
            Vault = vault.ToString(),
            Router = uniswap.Router.ToString(),
            Factory = uniswap.Factory.ToString(),
            Weth = uniswap.Weth.ToString(),
            Owner = AnvilDevAccounts.Owner.Address.ToString(),
            Keeper = AnvilDevAccounts.Keeper.Address.ToString(),
            QuoteToken = new ManifestToken(setup.QuoteSymbol, quote.ToString(), QuoteDecimals),
            Assets = assets,
        };
    }
}
