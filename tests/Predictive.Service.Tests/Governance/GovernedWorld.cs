using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Contracts;
using Nethereum.Web3;
using Predictive.Chain.Contracts;
using Predictive.Chain.Governance;
using Predictive.Chain.LocalChain;
using Predictive.Onnx.Registry;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Governance;

/// <summary>
/// A fresh anvil with the governance contracts, a models folder, and the service in governed mode over both
/// (confirmations 2, polled every 100 ms). Proposals pass with the owner's 50 % of the votes.
/// </summary>
internal sealed class GovernedWorld : IAsyncDisposable
{
    public const int Confirmations = 2;
    private static readonly Lazy<Task<ContractArtifacts>> Artifacts = new(() => ContractCompiler.CompileAsync(Path.Combine(AppContext.BaseDirectory, "contracts")));

    private readonly int _pid;
    private ServiceFactory? _service;

    private GovernedWorld(int pid, string rpcUrl, IWeb3 owner, GovernanceAddresses addresses, ModelsFolder folder)
    {
        _pid = pid;
        RpcUrl = rpcUrl;
        Owner = owner;
        Addresses = addresses;
        Folder = folder;
    }

    public string RpcUrl { get; }

    public IWeb3 Owner { get; }

    public GovernanceAddresses Addresses { get; }

    public ModelsFolder Folder { get; }

    public ChainClock Clock => new(Owner);

    public ServiceFactory Service => _service ?? throw new InvalidOperationException("Start the service first.");

    public ModelRegistry Registry => Service.Services.GetRequiredService<ModelRegistry>();

    public static async Task<GovernedWorld> StartAsync()
    {
        var log = Path.Combine(Path.GetTempPath(), $"predictive-governed-anvil-{Guid.NewGuid():N}.log");
        var (pid, port) = await AnvilProcess.StartAsync(0, log);
        try
        {
            var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
            var owner = GovernanceWeb3.For(AnvilDevAccounts.Owner, AnvilDevAccounts.ChainId, url);
            var addresses = await LocalGovernance.UpAsync(url, await Artifacts.Value, new GovernanceSettings());
            return new GovernedWorld(pid, url, owner, addresses, new ModelsFolder());
        }
        catch
        {
            AnvilProcess.Stop(pid);
            throw;
        }
    }

    public void StartService()
    {
        _service?.Dispose();
        _service = new ServiceFactory(Folder.Path, new Dictionary<string, string?>
        {
            ["Predictive:Governance:RpcUrl"] = RpcUrl,
            ["Predictive:Governance:ChainId"] = AnvilDevAccounts.ChainId.ToString(CultureInfo.InvariantCulture),
            ["Predictive:Governance:Registry"] = Addresses.Registry,
            ["Predictive:Governance:Confirmations"] = Confirmations.ToString(CultureInfo.InvariantCulture),
            ["Predictive:Governance:PollInterval"] = "00:00:00.100",
        });
        _ = _service.Client();
    }

    public void StopChain() => AnvilProcess.Stop(_pid);

    /// <summary>Runs a proposal through vote (owner for, voters as given), queue, Timelock delay and execute; returns the block of execution.</summary>
    public async Task<BigInteger> PassAsync(IReadOnlyList<byte[]> calls, string description, bool againstByOthers = false)
    {
        var governance = new GovernanceClient(Owner, Addresses);
        var (proposal, _) = await governance.ProposeAsync([.. calls.Select(_ => Addresses.Registry)], calls, description);
        if (!againstByOthers)
        {
            return (await LocalGovernance.PassAsync(governance, Clock, proposal)).BlockNumber.Value;
        }

        var status = await governance.StatusAsync(proposal.Id);
        await Clock.MinePastAsync(status.SnapshotBlock);
        await governance.VoteAsync(proposal.Id, VoteSupport.For);
        foreach (var voter in AnvilDevAccounts.Voters.Skip(1))
        {
            await new GovernanceClient(GovernanceWeb3.For(voter, AnvilDevAccounts.ChainId, RpcUrl), Addresses).VoteAsync(proposal.Id, VoteSupport.Against);
        }

        await Clock.MinePastAsync(status.DeadlineBlock);
        return -1;
    }

    public Task<BigInteger> ApproveAsync(string name, string version, bool activate = true)
    {
        var model = ModelCandidate.FromDirectory(Folder.Dir(name, version));
        return PassAsync(GovernanceClient.ModelCalls(model, activate), model.Describe(activate, null));
    }

    public Task<BigInteger> RevokeAsync(string name, string version) =>
        PassAsync([new RegistryRevokeFunction { ModelId = ModelCandidate.ModelIdOf(name), Version = ulong.Parse(version, CultureInfo.InvariantCulture) }.GetCallData()], $"Revoke {name}/{version}");

    /// <summary>Approves and activates default/1 (a linear test model), then starts the service and waits until it serves it.</summary>
    public async Task ServeApprovedDefaultAsync()
    {
        Folder.Add("default", "1", TestModels.Linear(1f));
        await ApproveAsync("default", "1");
        await Clock.MineAsync(Confirmations);
        StartService();
        if (!await EventuallyAsync(s => s.DefaultKey == "default/1"))
        {
            throw new AssertFailedException("The governed service did not load the approved default/1 within 30 s.");
        }
    }

    /// <summary>Waits (up to 30 s) until <paramref name="condition"/> holds on the registry's current snapshot.</summary>
    public async Task<bool> EventuallyAsync(Func<Onnx.Registry.RegistrySnapshot, bool> condition, TimeSpan? limit = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < (limit ?? TimeSpan.FromSeconds(30)))
        {
            if (condition(Registry.Current))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition(Registry.Current);
    }

    public async ValueTask DisposeAsync()
    {
        _service?.Dispose();
        AnvilProcess.Stop(_pid);
        Folder.Dispose();
        await Task.CompletedTask;
    }
}
