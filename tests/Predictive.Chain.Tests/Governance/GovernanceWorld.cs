using System.Text;
using Nethereum.Web3;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Governance;
using Predictive.Chain.Rpc;
using Predictive.Chain.Tests.Contracts;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Tests.Venue;

namespace Predictive.Chain.Tests.Governance;

/// <summary>
/// A fresh anvil node per test (governance tests move the chain's clock, which other tests' feeds and daily caps must
/// not see) with <see cref="LocalGovernance"/>: account 0 holds 50 % of the votes, account 3 30 % and account 4 20 %;
/// account 2 is the guardian and holds none. Quorum is 4 % of the supply.
/// </summary>
internal sealed class GovernanceWorld : IAsyncDisposable
{
    public static readonly GovernanceSettings Settings = new();

    private readonly AnvilNode _node;
    private readonly Dictionary<ModelCandidate, string> _directories = [];

    private EvmRpcClient? _client;

    private GovernanceWorld(AnvilNode node, IWeb3 deployer, IWeb3 guardian, IWeb3 voterA, IWeb3 voterB, GovernanceAddresses addresses)
    {
        _node = node;
        Deployer = deployer;
        Guardian = guardian;
        VoterA = voterA;
        VoterB = voterB;
        Addresses = addresses;
    }

    public IWeb3 Deployer { get; }

    /// <summary>The demo vault world deployed before governance (<see cref="StartAsync"/> with a vault), or null.</summary>
    public OnChainWorld? Vault { get; private set; }

    /// <summary>The node's JSON-RPC client (for the vault's keeper).</summary>
    public EvmRpcClient RpcClient => _client ??= _node.CreateClient();

    public IWeb3 Guardian { get; }

    public IWeb3 VoterA { get; }

    public IWeb3 VoterB { get; }

    public GovernanceAddresses Addresses { get; }

    public ChainClock Clock => new(Deployer);

    public GovernanceClient Client(IWeb3 web3) => new(web3, Addresses);

    public RegistryReader Registry => new(Deployer, Addresses.Registry);

    /// <summary>Governance on a fresh node; with <paramref name="withVault"/>, first the demo vault world (chain up's), whose roles governance up hands over.</summary>
    public static async Task<GovernanceWorld> StartAsync(bool withVault = false)
    {
        var node = await AnvilNode.StartAsync();
        try
        {
            var url = node.Endpoint.ToString();
            IWeb3 Web3Of(PrivateKey key) => GovernanceWeb3.For(key, AnvilDevAccounts.ChainId, url);
            EvmRpcClient? client = null;
            OnChainWorld? vault = null;
            if (withVault)
            {
                client = node.CreateClient();
                vault = await OnChainWorld.DeployAsync(client, node.Endpoint);
            }

            var addresses = await LocalGovernance.UpAsync(url, ContractArtifactsFixture.Get(), Settings, vault?.Manifest.Vault);
            var (deployer, guardian, voterA, voterB) = (Web3Of(AnvilDevAccounts.Owner), Web3Of(AnvilDevAccounts.Guardian), Web3Of(AnvilDevAccounts.Voters[1]), Web3Of(AnvilDevAccounts.Voters[2]));
            return new GovernanceWorld(node, deployer, guardian, voterA, voterB, addresses) { Vault = vault, _client = client };
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>A model directory whose ONNX bytes are unique to <paramref name="label"/> (the registry commits to bytes; it never runs them).</summary>
    public ModelCandidate Model(string name, int version, string label)
    {
        var directory = Directory.CreateTempSubdirectory("predictive-governance-").FullName;
        File.WriteAllText(Path.Combine(directory, "model.onnx"), $"model bytes for {label}", Encoding.UTF8);
        File.WriteAllText(Path.Combine(directory, ModelCandidate.ManifestFile),
            $$$"""{"name":"{{{name}}}","version":"{{{version}}}","model_file":"model.onnx","validation_metrics":{"sharpe":0.35,"max_drawdown":0.29}}""");
        var model = ModelCandidate.FromDirectory(directory);
        _directories[model] = directory;
        return model;
    }

    /// <summary>A second registry owned by the deployer's account directly, to test its refusals without a vote each.</summary>
    public async Task<string> DeployOwnRegistryAsync()
    {
        var bytecode = "0x" + Convert.ToHexStringLower(ContractArtifactsFixture.Get().Get(GovernanceDeployer.RegistryArtifact).Bytecode);
        var receipt = await Deployer.Eth.GetContractDeploymentHandler<ModelRegistryDeployment>()
            .SendRequestAndWaitForReceiptAsync(new ModelRegistryDeployment(bytecode) { Owner = Deployer.TransactionManager.Account.Address });
        return receipt.ContractAddress;
    }

    public string DirectoryOf(ModelCandidate model) => _directories[model];

    /// <summary>Proposes, votes with the given supports (deployer, voter A, voter B; null = no vote), and mines past the deadline.</summary>
    public Task<GovernanceProposal> ProposeAndVoteAsync(ModelCandidate model, bool activate, VoteSupport? deployer, VoteSupport? voterA, VoteSupport? voterB) =>
        VoteOnAsync(Client(Deployer).ProposeModelAsync(model, activate), deployer, voterA, voterB);

    /// <summary>Proposes <paramref name="calls"/> on <paramref name="target"/>, votes as the model overload does, and mines past the deadline.</summary>
    public Task<GovernanceProposal> ProposeAndVoteAsync(string target, IReadOnlyList<byte[]> calls, string description, VoteSupport? deployer, VoteSupport? voterA, VoteSupport? voterB) =>
        VoteOnAsync(Client(Deployer).ProposeAsync([.. calls.Select(_ => target)], calls, description), deployer, voterA, voterB);

    /// <summary>Queues a passed proposal, moves the clock to its eta and executes it.</summary>
    public async Task QueueAndExecuteAsync(GovernanceProposal proposal)
    {
        var governance = Client(Deployer);
        await governance.QueueAsync(proposal);
        await Clock.AdvanceTimeToAsync((await governance.StatusAsync(proposal.Id)).Eta);
        await governance.ExecuteAsync(proposal);
    }

    /// <summary>Queues a passed proposal, has the guardian cancel it, moves past its eta and checks that it is canceled and cannot execute.</summary>
    public async Task AssertGuardianVetoesAsync(GovernanceProposal proposal)
    {
        var governance = Client(Deployer);
        await governance.QueueAsync(proposal);
        var eta = (await governance.StatusAsync(proposal.Id)).Eta;

        await Client(Guardian).CancelQueuedAsync(proposal);
        await Clock.AdvanceTimeToAsync(eta);

        Assert.AreEqual(ProposalState.Canceled, (await governance.StatusAsync(proposal.Id)).State);
        await Assert.ThrowsExactlyAsync<Nethereum.Contracts.SmartContractCustomErrorRevertException>(() => governance.ExecuteAsync(proposal));
    }

    private async Task<GovernanceProposal> VoteOnAsync(Task<(GovernanceProposal Proposal, Nethereum.RPC.Eth.DTOs.TransactionReceipt Receipt)> propose, VoteSupport? deployer, VoteSupport? voterA, VoteSupport? voterB)
    {
        var (proposal, _) = await propose;
        var status = await Client(Deployer).StatusAsync(proposal.Id);
        await Clock.MinePastAsync(status.SnapshotBlock);
        foreach (var (web3, support) in new[] { (Deployer, deployer), (VoterA, voterA), (VoterB, voterB) })
        {
            if (support is { } s)
            {
                await Client(web3).VoteAsync(proposal.Id, s);
            }
        }

        await Clock.MinePastAsync(status.DeadlineBlock);
        return proposal;
    }

    public async ValueTask DisposeAsync()
    {
        Vault?.Dispose();
        _client?.Dispose();
        _node.Dispose();
        foreach (var directory in _directories.Values)
        {
            Directory.Delete(directory, recursive: true);
        }

        await Task.CompletedTask;
    }
}
