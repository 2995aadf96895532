using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Deployment;

/// <summary>Addresses of a Uniswap V2 deployment.</summary>
/// <param name="Weth">WETH9.</param>
/// <param name="Factory">UniswapV2Factory.</param>
/// <param name="Router">UniswapV2Router02.</param>
public sealed record UniswapV2Contracts(EthAddress Weth, EthAddress Factory, EthAddress Router);

/// <summary>
/// Deploys WETH9, the factory and Router02 from the npm build artifacts, unchanged (Router02 computes pair addresses
/// from the init-code hash of @uniswap/v2-core 1.0.1's pair, which is what this factory deploys), and seeds pools.
/// </summary>
public sealed class UniswapV2Deployer
{
    private readonly TransactionManager _deployer;
    private readonly ContractArtifacts _artifacts;

    /// <summary>Creates a deployer sending from <paramref name="deployer"/>'s account.</summary>
    public UniswapV2Deployer(TransactionManager deployer, ContractArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(artifacts);
        _deployer = deployer;
        _artifacts = artifacts;
    }

    /// <summary>Deploys WETH9, the factory (fee setter: the deployer) and Router02.</summary>
    public async Task<UniswapV2Contracts> DeployAsync(CancellationToken cancellationToken = default)
    {
        var weth = await ChainCalls.DeployAsync(_deployer, "uniswap:weth", _artifacts.Get(ContractArtifacts.Weth9).DeploymentData("()"), cancellationToken).ConfigureAwait(false);
        var factory = await ChainCalls.DeployAsync(
            _deployer, "uniswap:factory", _artifacts.Get(ContractArtifacts.UniswapV2Factory).DeploymentData("(address)", _deployer.Account), cancellationToken).ConfigureAwait(false);
        var router = await ChainCalls.DeployAsync(
            _deployer, "uniswap:router", _artifacts.Get(ContractArtifacts.UniswapV2Router02).DeploymentData("(address,address)", factory, weth), cancellationToken).ConfigureAwait(false);
        return new UniswapV2Contracts(weth, factory, router);
    }

    /// <summary>
    /// Creates the pair (through the router) and adds <paramref name="baseAmount"/> of <paramref name="baseToken"/> against
    /// <paramref name="quoteAmount"/> of <paramref name="quoteToken"/>, which sets the price to quoteAmount / baseAmount.
    /// The deployer must hold both amounts. Returns the pair address.
    /// </summary>
    public async Task<EthAddress> CreatePoolAsync(
        UniswapV2Contracts uniswap, EthAddress baseToken, BigInteger baseAmount, EthAddress quoteToken, BigInteger quoteAmount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uniswap);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseAmount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quoteAmount);
        var id = $"pool:{baseToken}:{quoteToken}";
        await ChainCalls.SendAsync(_deployer, id + ":approve-base", baseToken, Erc20Abi.Approve, [uniswap.Router, baseAmount], cancellationToken).ConfigureAwait(false);
        await ChainCalls.SendAsync(_deployer, id + ":approve-quote", quoteToken, Erc20Abi.Approve, [uniswap.Router, quoteAmount], cancellationToken).ConfigureAwait(false);
        var deadline = await ChainCalls.DeadlineAsync(_deployer.Client, TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        await ChainCalls.SendAsync(
            _deployer, id + ":add-liquidity", uniswap.Router, UniswapV2Abi.AddLiquidity,
            [baseToken, quoteToken, baseAmount, quoteAmount, baseAmount, quoteAmount, _deployer.Account, deadline], cancellationToken).ConfigureAwait(false);
        var pair = (EthAddress)(await ChainCalls.ReadAsync(_deployer.Client, uniswap.Factory, UniswapV2Abi.GetPair, [baseToken, quoteToken], cancellationToken).ConfigureAwait(false))[0]!;
        return pair != EthAddress.Zero ? pair : throw new InvalidOperationException($"The factory has no pair for {baseToken}/{quoteToken} after adding liquidity.");
    }
}
