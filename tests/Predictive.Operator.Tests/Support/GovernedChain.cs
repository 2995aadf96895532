using System.Globalization;
using System.Numerics;
using Nethereum.Web3;
using Predictive.Chain.Contracts;
using Predictive.Chain.Governance;
using Predictive.Chain.LocalChain;

namespace Predictive.Operator.Tests.Support;

/// <summary>
/// A fresh anvil with the governance contracts (Governor, Timelock, registry; the owner holds half the votes), and the
/// voters' side of a proposal: vote, queue and execute, with the chain moved past each delay.
/// </summary>
internal sealed class GovernedChain : IAsyncDisposable
{
    private static readonly Lazy<Task<ContractArtifacts>> Artifacts = new(() => ContractCompiler.CompileAsync(Path.Combine(AppContext.BaseDirectory, "contracts")));

    private readonly int _pid;

    private GovernedChain(int pid, string rpcUrl, GovernanceAddresses addresses)
    {
        _pid = pid;
        RpcUrl = rpcUrl;
        Addresses = addresses;
        Owner = GovernanceWeb3.For(AnvilDevAccounts.Owner, AnvilDevAccounts.ChainId, rpcUrl);
    }

    public string RpcUrl { get; }

    public GovernanceAddresses Addresses { get; }

    public IWeb3 Owner { get; }

    public GovernanceClient Governance => new(Owner, Addresses);

    public ChainClock Clock => new(Owner);

    /// <summary>The owner's key as hex, for the operator's proposer setting.</summary>
    public static string OwnerKeyHex => "0x" + Convert.ToHexStringLower(AnvilDevAccounts.Owner.ExportSecret());

    public static async Task<GovernedChain> StartAsync()
    {
        var log = Path.Combine(Path.GetTempPath(), $"predictive-operator-anvil-{Guid.NewGuid():N}.log");
        var (pid, port) = await AnvilProcess.StartAsync(0, log);
        try
        {
            var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
            var addresses = await LocalGovernance.UpAsync(url, await Artifacts.Value, new GovernanceSettings());
            return new GovernedChain(pid, url, addresses);
        }
        catch
        {
            AnvilProcess.Stop(pid);
            throw;
        }
    }

    /// <summary>The voters' side: the owner votes for, the chain is mined past the vote, the proposal queued, time moved past the Timelock, and executed.</summary>
    public async Task<ProposalState> PassAsync(BigInteger id)
    {
        var governance = Governance;
        var proposal = await governance.FindAsync(id);
        var status = await governance.StatusAsync(id);
        await Clock.MinePastAsync(status.SnapshotBlock);
        await governance.VoteAsync(id, VoteSupport.For);
        await Clock.MinePastAsync(status.DeadlineBlock);
        await governance.QueueAsync(proposal);
        await Clock.AdvanceTimeToAsync((await governance.StatusAsync(id)).Eta);
        await governance.ExecuteAsync(proposal);
        return (await governance.StatusAsync(id)).State;
    }

    /// <summary>Settings of a service in governed mode on this chain, serving the active version of <paramref name="modelName"/>.</summary>
    public Dictionary<string, string?> ServiceSettings(string modelName) => new(StringComparer.Ordinal)
    {
        ["Predictive:DefaultModel"] = modelName,
        ["Predictive:Governance:RpcUrl"] = RpcUrl,
        ["Predictive:Governance:ChainId"] = AnvilDevAccounts.ChainId.ToString(CultureInfo.InvariantCulture),
        ["Predictive:Governance:Registry"] = Addresses.Registry,
        ["Predictive:Governance:Confirmations"] = "0",
        ["Predictive:Governance:PollInterval"] = "00:00:00.100",
    };

    public ValueTask DisposeAsync()
    {
        AnvilProcess.Stop(_pid);
        return ValueTask.CompletedTask;
    }
}
