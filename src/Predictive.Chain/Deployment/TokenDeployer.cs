using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Deployment;

/// <summary>Deploys and mints <c>TestToken</c> ERC-20s (the deployer is the only minter).</summary>
public sealed class TokenDeployer
{
    private readonly TransactionManager _deployer;
    private readonly ContractArtifacts _artifacts;

    /// <summary>Creates a deployer sending from <paramref name="deployer"/>'s account.</summary>
    public TokenDeployer(TransactionManager deployer, ContractArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(artifacts);
        _deployer = deployer;
        _artifacts = artifacts;
    }

    /// <summary>Deploys a token; intent id "token:SYMBOL".</summary>
    public Task<EthAddress> DeployAsync(string name, string symbol, byte decimals, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var data = _artifacts.Get(ContractArtifacts.TestToken).DeploymentData(new TestTokenDeployment { Name = name, Symbol = symbol, Decimals = decimals });
        return _deployer.DeployAsync($"token:{symbol}", data, cancellationToken);
    }

    /// <summary>Mints <paramref name="amount"/> base units to <paramref name="to"/>.</summary>
    public Task<ExecutionResult> MintAsync(EthAddress token, EthAddress to, BigInteger amount, string intentId, CancellationToken cancellationToken = default) =>
        _deployer.SendAsync(intentId, token, new MintFunction { To = to.ToString(), Amount = amount }, cancellationToken);
}
