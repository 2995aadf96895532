using System.Numerics;
using System.Text;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Predictive.Chain.Governance;
using Predictive.Chain.Tests.Contracts;
using Predictive.Chain.Tests.Rpc;

namespace Predictive.Chain.Tests.Governance;

/// <summary>
/// A fresh anvil node per test (governance tests move the chain's clock, which other tests' feeds and daily caps must
/// not see) with the governance contracts deployed by anvil account 0: account 0 holds 50 % of the votes, account 3
/// 30 % and account 4 20 %; account 2 is the guardian and holds none. Quorum is 4 % of the supply.
/// </summary>
internal sealed class GovernanceWorld : IAsyncDisposable
{
    // Keys of anvil's default development mnemonic (public knowledge): accounts 2, 3 and 4.
    private const string GuardianKey = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
    private const string VoterAKey = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
    private const string VoterBKey = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

    public static readonly BigInteger Unit = BigInteger.Pow(10, 18);
    public static readonly GovernanceSettings Settings = new();

    private readonly AnvilNode _node;
    private readonly Dictionary<ModelCandidate, string> _directories = [];

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

    public IWeb3 Guardian { get; }

    public IWeb3 VoterA { get; }

    public IWeb3 VoterB { get; }

    public GovernanceAddresses Addresses { get; }

    public ChainClock Clock => new(Deployer);

    public GovernanceClient Client(IWeb3 web3) => new(web3, Addresses);

    public RegistryReader Registry => new(Deployer, Addresses.Registry);

    public static async Task<GovernanceWorld> StartAsync()
    {
        var node = await AnvilNode.StartAsync();
        try
        {
            var url = node.Endpoint.ToString();
            IWeb3 Web3Of(string key) => new Web3(new Account(key, AnvilNode.ChainId), url);
            var deployer = Web3Of(AnvilNode.DevKey);
            var guardian = Web3Of(GuardianKey);
            var voterA = Web3Of(VoterAKey);
            var voterB = Web3Of(VoterBKey);
            var governance = new GovernanceDeployer(deployer, ContractArtifactsFixture.Get());
            var addresses = await governance.DeployAsync(deployer.TransactionManager.Account.Address, guardian.TransactionManager.Account.Address, Settings);
            var supply = Settings.TokenSupply;
            await governance.DistributeAsync(addresses.Token, [(voterA, supply * 30 / 100), (voterB, supply * 20 / 100), (deployer, 0)]);
            await new ChainClock(deployer).MineAsync(1);
            return new GovernanceWorld(node, deployer, guardian, voterA, voterB, addresses);
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
    public async Task<GovernanceProposal> ProposeAndVoteAsync(ModelCandidate model, bool activate, VoteSupport? deployer, VoteSupport? voterA, VoteSupport? voterB)
    {
        var (proposal, _) = await Client(Deployer).ProposeModelAsync(model, activate);
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
        _node.Dispose();
        foreach (var directory in _directories.Values)
        {
            Directory.Delete(directory, recursive: true);
        }

        await Task.CompletedTask;
    }
}
