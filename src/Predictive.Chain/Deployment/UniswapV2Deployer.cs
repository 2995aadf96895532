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
        var weth = await _deployer.DeployAsync("uniswap:weth", _artifacts.Get(ContractArtifacts.Weth9).DeploymentData(new Weth9Deployment()), cancellationToken).ConfigureAwait(false);
        var factory = await _deployer.DeployAsync(
            "uniswap:factory", _artifacts.Get(ContractArtifacts.UniswapV2Factory).DeploymentData(new UniswapV2FactoryDeployment { FeeToSetter = _deployer.Account.ToString() }),
            cancellationToken).ConfigureAwait(false);
        var router = await _deployer.DeployAsync(
            "uniswap:router", _artifacts.Get(ContractArtifacts.UniswapV2Router02).DeploymentData(new UniswapV2RouterDeployment { Factory = factory.ToString(), Weth = weth.ToString() }),
            cancellationToken).ConfigureAwait(false);
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
        var router = uniswap.Router.ToString();
        await _deployer.SendAsync(id + ":approve-base", baseToken, new ApproveFunction { Spender = router, Amount = baseAmount }, cancellationToken).ConfigureAwait(false);
        await _deployer.SendAsync(id + ":approve-quote", quoteToken, new ApproveFunction { Spender = router, Amount = quoteAmount }, cancellationToken).ConfigureAwait(false);
        var deadline = await _deployer.Client.DeadlineAsync(TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        await _deployer.SendAsync(id + ":add-liquidity", uniswap.Router, new AddLiquidityFunction
        {
            TokenA = baseToken.ToString(), TokenB = quoteToken.ToString(), AmountADesired = baseAmount, AmountBDesired = quoteAmount,
            AmountAMin = baseAmount, AmountBMin = quoteAmount, To = _deployer.Account.ToString(), Deadline = deadline,
        }, cancellationToken).ConfigureAwait(false);
        var pair = EthAddress.Parse((await _deployer.Client.QueryAsync<GetPairFunction, string>(
            uniswap.Factory, new GetPairFunction { TokenA = baseToken.ToString(), TokenB = quoteToken.ToString() }, null, cancellationToken).ConfigureAwait(false)).ToLowerInvariant());
        return pair != EthAddress.Zero ? pair : throw new InvalidOperationException($"The factory has no pair for {baseToken}/{quoteToken} after adding liquidity.");
    }
}
