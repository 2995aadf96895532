using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Tests.Rpc;

/// <summary>
/// A local anvil node on a free loopback port, from eng/chain/node_modules (install with `npm ci --prefix eng/chain`).
/// Started once per test class and killed (with its process tree) at class cleanup.
/// </summary>
internal sealed class AnvilNode : IDisposable
{
    public const string DevKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    public const long ChainId = 31337;
    private const string PackageBinary = "eng/chain/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
    private readonly Process _process;

    private AnvilNode(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<AnvilNode> StartAsync()
    {
        var binary = FindBinary() ?? throw new AssertFailedException(
            $"anvil was not found at {PackageBinary} above {AppContext.BaseDirectory}. Run `npm ci --prefix eng/chain` from the repository root.");
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--chain-id", ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--max-persisted-states", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new AssertFailedException($"Could not start {binary}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new AnvilNode(process, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await node.WaitUntilReadyAsync();
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    public EvmRpcClient CreateClient(Action<RpcClientOptions>? configure = null)
    {
        // Generous timeouts: on a loaded 2-core CI machine a call can take seconds, and eth_sendRawTransaction is never retried.
        var options = new RpcClientOptions
        {
            Endpoint = Endpoint, AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2), RetryDelay = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        return new EvmRpcClient(options);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        // Startup takes well under a second; the bound only stops a broken binary from hanging the run.
        using var client = CreateClient(o => { o.MaxRetries = 0; o.AttemptTimeout = TimeSpan.FromMilliseconds(500); });
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                throw new AssertFailedException($"anvil exited with code {_process.ExitCode} before answering on {Endpoint}.");
            }

            try
            {
                if (await client.GetChainIdAsync() == ChainId)
                {
                    return;
                }
            }
            catch (RpcTransportException)
            {
                await Task.Delay(100);
            }
        }

        throw new AssertFailedException($"anvil did not answer eth_chainId on {Endpoint} within 10 seconds.");
    }

    private static string? FindBinary()
    {
        var overridePath = Environment.GetEnvironmentVariable("ANVIL_PATH");
        if (!string.IsNullOrEmpty(overridePath) && File.Exists(overridePath))
        {
            return overridePath;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, PackageBinary);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
