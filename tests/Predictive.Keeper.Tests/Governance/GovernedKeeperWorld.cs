using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Predictive.Chain.Governance;
using Predictive.Chain.LocalChain;
using Predictive.Cli;
using Predictive.Keeper.Tests.Support;
using Predictive.Onnx.Registry;

namespace Predictive.Keeper.Tests.Governance;

/// <summary>
/// A keeper world (<c>chain up</c>: anvil, pools, feeds, a funded vault) with <c>governance up</c> run on it (Governor,
/// Timelock, registry; the vault's strategy admin handed to the Timelock), the owner's governance client, and a targets
/// service on Kestrel, governed by that registry or not.
/// </summary>
internal sealed class GovernedKeeperWorld : IAsyncDisposable
{
    public const int Confirmations = 2;

    private TargetsService? _service;

    private GovernedKeeperWorld(KeeperWorld world, LocalChainManifest manifest)
    {
        World = world;
        Manifest = manifest;
        Governance = new GovernanceClient(GovernanceWeb3.For(AnvilDevAccounts.Owner, AnvilDevAccounts.ChainId, manifest.RpcUrl), manifest.Governance!);
        Clock = new ChainClock(GovernanceWeb3.ReadOnly(manifest.RpcUrl));
    }

    public KeeperWorld World { get; }

    /// <summary>chain.json after <c>governance up</c> (with the <c>governance</c> addresses).</summary>
    public LocalChainManifest Manifest { get; }

    public GovernanceClient Governance { get; }

    public ChainClock Clock { get; }

    public TargetsService Service => _service ?? throw new InvalidOperationException("Start the service first.");

    public static async Task<GovernedKeeperWorld> StartAsync()
    {
        // The service starts after the registry exists; keeper.json gets its URL then.
        var world = await KeeperWorld.StartAsync(new Uri("http://127.0.0.1:1/"));
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await CliApp.RunAsync(
                ["governance", "up", "--chain", world.ChainFile, "--contracts", Path.Combine(AppContext.BaseDirectory, "contracts")], stdout, stderr, TimeProvider.System);
            Assert.AreEqual(0, exit, stderr.ToString());
            return new GovernedKeeperWorld(world, LocalChainManifest.Load(world.ChainFile));
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the targets service over the bundled models; governed by the chain's registry unless <paramref name="governed"/> is false.</summary>
    public Uri StartService(bool governed = true)
    {
        _service?.Dispose();
        _service = new TargetsService(governed
            ? new Dictionary<string, string?>
            {
                ["Predictive:Governance:RpcUrl"] = Manifest.RpcUrl,
                ["Predictive:Governance:ChainId"] = AnvilDevAccounts.ChainId.ToString(CultureInfo.InvariantCulture),
                ["Predictive:Governance:Registry"] = Manifest.Governance!.Registry,
                ["Predictive:Governance:Confirmations"] = Confirmations.ToString(CultureInfo.InvariantCulture),
                ["Predictive:Governance:PollInterval"] = "00:00:00.100",
            }
            : null);
        return _service.Start();
    }

    /// <summary>Writes a governed keeper.json (governance section with the test's confirmations) over the running service.</summary>
    public void WriteConfig(Uri service) =>
        World.WriteConfig(extra: new Dictionary<string, object?>
        {
            ["serviceUrl"] = service.ToString(),
            ["governance"] = new Dictionary<string, object?> { ["confirmations"] = Confirmations },
        });

    /// <summary>Waits (up to 30 s) until the service's model registry satisfies <paramref name="condition"/>.</summary>
    public async Task<bool> ServiceEventuallyAsync(Func<RegistrySnapshot, bool> condition)
    {
        var registry = Service.Services.GetRequiredService<ModelRegistry>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30) && !condition(registry.Current))
        {
            await Task.Delay(50);
        }

        return condition(registry.Current);
    }

    public async ValueTask DisposeAsync()
    {
        _service?.Dispose();
        await World.DisposeAsync();
    }
}
