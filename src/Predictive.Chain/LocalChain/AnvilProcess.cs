using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.LocalChain;

/// <summary>Starts anvil as a background process that outlives the caller, and stops it by pid.</summary>
public static class AnvilProcess
{
    /// <summary>
    /// Starts anvil on 127.0.0.1:<paramref name="port"/> with its output in <paramref name="logFile"/>, waits until it
    /// answers eth_chainId, and returns its pid. The process is not tied to the caller: it keeps running until <see cref="Stop"/>.
    /// </summary>
    /// <exception cref="LocalChainException">anvil is missing, the port is taken, or it did not answer in time.</exception>
    public static async Task<int> StartAsync(int port, string logFile, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentException.ThrowIfNullOrWhiteSpace(logFile);
        var binary = RepositoryTools.AnvilBinary();
        if (!PortIsFree(port))
        {
            throw new LocalChainException($"Port {port} on 127.0.0.1 is in use; choose another with --port.");
        }

        // exec through sh: output goes to the log file, not to our pipes (a child holding them would keep a caller's
        // output open after it exits), and the pid we record is anvil's own.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList =
            {
                "-c", "exec \"$0\" \"$@\" >>\"$LOG\" 2>&1 </dev/null", binary,
                "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                "--chain-id", AnvilDevAccounts.ChainId.ToString(CultureInfo.InvariantCulture),
            },
            UseShellExecute = false,
            Environment = { ["LOG"] = Path.GetFullPath(logFile) },
        };
        int pid;
        using (var process = Process.Start(start) ?? throw new LocalChainException($"Could not start {binary}."))
        {
            pid = process.Id;
        }

        using var client = new EvmRpcClient(new RpcClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}/"), MaxRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(2),
        });
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (!IsAnvil(pid))
            {
                throw new LocalChainException($"anvil exited before answering on port {port}; see {logFile}.");
            }

            try
            {
                if (await client.GetChainIdAsync(cancellationToken).ConfigureAwait(false) == AnvilDevAccounts.ChainId)
                {
                    return pid;
                }
            }
            catch (RpcTransportException)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }

        Stop(pid);
        throw new LocalChainException($"anvil did not answer on port {port} within 30 seconds; see {logFile}.");
    }

    /// <summary>Stops the anvil process <paramref name="pid"/>; false when no anvil runs under that pid.</summary>
    public static bool Stop(int pid)
    {
        // Only a process that is anvil is killed: a stale chain.json must not end whatever reused the pid.
        if (!IsAnvil(pid))
        {
            return false;
        }

        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
        return true;
    }

    /// <summary>Whether <paramref name="pid"/> is a running anvil.</summary>
    public static bool IsAnvil(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && string.Equals(process.ProcessName, "anvil", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
