using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Deployment;

/// <summary>How a vault is set up. Amounts are base units of the quote token.</summary>
public sealed record VaultSettings
{
    /// <summary>The quote token limits are measured in; every keeper swap has it on one side.</summary>
    public required EthAddress QuoteToken { get; init; }

    /// <summary>The keeper allowed to swap.</summary>
    public required EthAddress Keeper { get; init; }

    /// <summary>Whitelisted Uniswap V2 routers.</summary>
    public required IReadOnlyList<EthAddress> Routers { get; init; }

    /// <summary>Whitelisted assets besides the quote token.</summary>
    public IReadOnlyList<EthAddress> Assets { get; init; } = [];

    /// <summary>Whitelisted pairs.</summary>
    public IReadOnlyList<EthAddress> Pools { get; init; } = [];

    /// <summary>Largest quote-side amount of one swap.</summary>
    public required BigInteger MaxTradeQuote { get; init; }

    /// <summary>Largest quote-side turnover per UTC day.</summary>
    public required BigInteger DailyCapQuote { get; init; }

    /// <summary>Largest allowed gap between the oracle quote and the keeper's minimum output, in basis points.</summary>
    public required int MaxSlippageBps { get; init; }

    /// <summary>Price feeds of the quote token and every asset (the vault refuses swaps of a token without one).</summary>
    public IReadOnlyList<Oracle.FeedSettings> Feeds { get; init; } = [];

    /// <summary>The account that may pause the vault, or null for none.</summary>
    public EthAddress? Guardian { get; init; }

    /// <summary>Deposits made by the owner after configuration (token → base units); the owner must hold them.</summary>
    public IReadOnlyDictionary<EthAddress, BigInteger> Funding { get; init; } = new Dictionary<EthAddress, BigInteger>();
}

/// <summary>Deploys a <c>PredictiveVault</c> for the sending account (its owner), configures it and funds it.</summary>
public sealed class VaultDeployer
{
    private readonly TransactionManager _owner;
    private readonly ContractArtifacts _artifacts;

    /// <summary>Creates a deployer; the vault's owner is <paramref name="owner"/>'s account.</summary>
    public VaultDeployer(TransactionManager owner, ContractArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(artifacts);
        _owner = owner;
        _artifacts = artifacts;
    }

    /// <summary>Deploys, configures (keeper and guardian roles, whitelists, feeds, limits) and funds a vault; intent ids start with <paramref name="name"/>.</summary>
    public async Task<EthAddress> DeployAsync(string name, VaultSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.MaxSlippageBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.MaxSlippageBps, 10_000);
        var data = _artifacts.Get(ContractArtifacts.Vault).DeploymentData(new VaultDeployment { Owner = _owner.Account.ToString(), QuoteToken = settings.QuoteToken.ToString() });
        var vault = await _owner.DeployAsync($"{name}:deploy", data, cancellationToken).ConfigureAwait(false);

        await SendAsync($"{name}:keeper", vault, new GrantRoleFunction { Role = VaultAbi.KeeperRole, Account = settings.Keeper.ToString() }, cancellationToken).ConfigureAwait(false);
        if (settings.Guardian is { } guardian)
        {
            await SendAsync($"{name}:guardian", vault, new GrantRoleFunction { Role = VaultAbi.GuardianRole, Account = guardian.ToString() }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var feed in settings.Feeds)
        {
            await SendAsync(
                $"{name}:feed:{feed.Token}", vault, new SetFeedFunction
                {
                    Token = feed.Token.ToString(), Aggregator = feed.Aggregator.ToString(), Heartbeat = (uint)feed.Heartbeat.TotalSeconds,
                    MinAnswer = feed.MinAnswer, MaxAnswer = feed.MaxAnswer,
                }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var router in settings.Routers)
        {
            await SendAsync($"{name}:router:{router}", vault, new SetRouterAllowedFunction { Target = router.ToString(), Allowed = true }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var asset in settings.Assets)
        {
            await SendAsync($"{name}:asset:{asset}", vault, new SetAssetAllowedFunction { Target = asset.ToString(), Allowed = true }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var pool in settings.Pools)
        {
            await SendAsync($"{name}:pool:{pool}", vault, new SetPoolAllowedFunction { Target = pool.ToString(), Allowed = true }, cancellationToken).ConfigureAwait(false);
        }

        await SendAsync(
            $"{name}:limits", vault, new SetLimitsFunction
            {
                MaxTradeQuote = settings.MaxTradeQuote, DailyCapQuote = settings.DailyCapQuote, MaxSlippageBps = (ushort)settings.MaxSlippageBps,
            }, cancellationToken).ConfigureAwait(false);
        foreach (var (token, amount) in settings.Funding)
        {
            await DepositAsync(vault, token, amount, $"{name}:fund:{token}", cancellationToken).ConfigureAwait(false);
        }

        return vault;
    }

    /// <summary>Owner deposit: approve the vault, then deposit (pulled with transferFrom).</summary>
    public async Task<ExecutionResult> DepositAsync(EthAddress vault, EthAddress token, BigInteger amount, string intentId, CancellationToken cancellationToken = default)
    {
        await SendAsync(intentId + ":approve", token, new ApproveFunction { Spender = vault.ToString(), Amount = amount }, cancellationToken).ConfigureAwait(false);
        return await SendAsync(intentId, vault, new VaultDepositFunction { Token = token.ToString(), Amount = amount }, cancellationToken).ConfigureAwait(false);
    }

    private Task<ExecutionResult> SendAsync<TFunction>(string id, EthAddress to, TFunction message, CancellationToken cancellationToken)
        where TFunction : Nethereum.Contracts.FunctionMessage, new() =>
        _owner.SendAsync(id, to, message, cancellationToken);
}
