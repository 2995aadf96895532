using System.Diagnostics;
using System.Text.Json;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Cli;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Tests.Support;

/// <summary>
/// A fresh local chain (<c>predictive chain up</c>: anvil, tokens, pools, feeds, a funded vault), a keeper.json over it
/// pointing at a running targets service, and the helpers the keeper tests share.
/// </summary>
internal sealed class KeeperWorld : IAsyncDisposable
{
    private KeeperWorld(string directory, LocalChainManifest manifest, Uri service)
    {
        Directory = directory;
        Manifest = manifest;
        Service = service;
        Client = new EvmRpcClient(new RpcClientOptions { Endpoint = new Uri(manifest.RpcUrl) });
    }

    public string Directory { get; }

    public LocalChainManifest Manifest { get; }

    public Uri Service { get; }

    public EvmRpcClient Client { get; }

    public string ChainFile => Path.Combine(Directory, "chain", LocalChainManifest.FileName);

    public string ConfigFile => Path.Combine(Directory, "keeper.json");

    public static async Task<KeeperWorld> StartAsync(Uri service)
    {
        var directory = Path.Combine(Path.GetTempPath(), "predictive-keeper-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["chain", "up", "--port", "0", "--out", Path.Combine(directory, "chain")], stdout, stderr, TimeProvider.System);
        Assert.AreEqual(0, exit, stderr.ToString());
        var manifest = LocalChainManifest.Load(Path.Combine(directory, "chain", LocalChainManifest.FileName));
        return new KeeperWorld(directory, manifest, service);
    }

    /// <summary>Writes keeper.json: the dev key (chain id 31337), the vault, the synthetic market data; <paramref name="extra"/> overrides keeper fields and <paramref name="vault"/> vault fields.</summary>
    public string WriteConfig(IReadOnlyDictionary<string, object?>? extra = null, IReadOnlyDictionary<string, object?>? vault = null, string? path = null)
    {
        var v = new Dictionary<string, object?>
        {
            ["name"] = "demo", ["chain"] = ChainFile, ["chainId"] = Manifest.ChainId, ["vault"] = Manifest.Vault, ["policy"] = "full",
            ["intervalSeconds"] = 3600, ["marketData"] = new Dictionary<string, object?> { ["source"] = "synthetic" },
        };
        foreach (var (k, value) in vault ?? new Dictionary<string, object?>())
        {
            v[k] = value;
        }

        var config = new Dictionary<string, object?>
        {
            ["serviceUrl"] = Service.ToString(), ["key"] = new Dictionary<string, object?> { ["dev"] = true }, ["store"] = Path.Combine(Directory, "state", "keeper.db"),
            ["vaults"] = new[] { v },
        };
        foreach (var (k, value) in extra ?? new Dictionary<string, object?>())
        {
            config[k] = value;
        }

        var file = path ?? ConfigFile;
        File.WriteAllText(file, JsonSerializer.Serialize(config));
        return file;
    }

    public KeeperSettings Settings(string? file = null) => KeeperConfigLoader.Load(file ?? ConfigFile);

    /// <summary>The vault's journal as the keeper wrote it (empty when none).</summary>
    public static IReadOnlyList<JournalEntry> Journal(KeeperSettings settings)
    {
        var path = Path.Combine(settings.StateDirectory(settings.Vaults[0]), Predictive.Keeper.Pass.VaultStateStores.JournalFileName);
        return File.Exists(path) ? ExecutionJournal.Open(path).Entries : [];
    }

    /// <summary>Sets the next block's base fee (anvil) and mines it.</summary>
    public async Task SetBaseFeeAsync(decimal gwei)
    {
        var wei = (System.Numerics.BigInteger)(gwei * 1_000_000_000m);
        await Client.RequestAsync("anvil_setNextBlockBaseFeePerGas", ["0x" + wei.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0')]);
        await Client.RequestAsync("evm_mine", []);
    }

    /// <summary>Starts the real <c>predictive</c> executable with <paramref name="args"/>; output is collected line by line.</summary>
    public static KeeperProcess Spawn(params string[] args) => KeeperProcess.Start(args);

    public async ValueTask DisposeAsync()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        await CliApp.RunAsync(["chain", "down", "--out", Path.Combine(Directory, "chain")], stdout, stderr, TimeProvider.System);
        Client.Dispose();
    }
}

/// <summary>A running <c>predictive</c> process whose stdout and stderr lines are collected.</summary>
internal sealed class KeeperProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];
    private readonly Lock _gate = new();

    private KeeperProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public IReadOnlyList<string> Out
    {
        get
        {
            lock (_gate)
            {
                return [.. _out];
            }
        }
    }

    public string Err
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _err);
            }
        }
    }

    public static KeeperProcess Start(string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "predictive.exe" : "predictive"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = start };
        var result = new KeeperProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (result._gate) { result._out.Add(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (result._gate) { result._err.Add(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits until a stdout line satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Out.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                Assert.Fail($"the keeper exited ({_process.ExitCode}) before the expected line; stdout:\n{string.Join('\n', Out)}\nstderr:\n{Err}");
            }

            await Task.Delay(50, cts.Token);
        }
    }

    /// <summary>Sends SIGTERM.</summary>
    public void Terminate() => Assert.AreEqual(0, Kill(_process.Id, 15), "kill(SIGTERM) failed");

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the output events
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
