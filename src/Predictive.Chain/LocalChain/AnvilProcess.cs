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
    /// <param name="port">The port, or 0 to pick a free one (retried on another port if it is taken before anvil binds it).</param>
    /// <param name="logFile">Where anvil's output goes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>anvil's pid and the port it listens on.</returns>
    /// <exception cref="LocalChainException">anvil is missing, the port is taken, or it did not answer in time.</exception>
    public static async Task<(int Pid, int Port)> StartAsync(int port, string logFile, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        if (port != 0)
        {
            return (await StartOnAsync(port, logFile, cancellationToken).ConfigureAwait(false), port);
        }

        // Another process may take a free port between our check and anvil's bind; a fresh port settles that race.
        for (var attempt = 1; ; attempt++)
        {
            var candidate = FreePort();
            try
            {
                return (await StartOnAsync(candidate, logFile, cancellationToken).ConfigureAwait(false), candidate);
            }
            catch (LocalChainException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<int> StartOnAsync(int port, string logFile, CancellationToken cancellationToken)
    {
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
                // Older states stay in memory only: by default anvil writes up to 3,600 historical states per node
                // to ~/.foundry/anvil/tmp and leaves them behind when the node is killed (gigabytes per long run).
                "--max-persisted-states", "0",
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
            // Right after the start the pid may still be the shell that is about to exec anvil: ask whether it is
            // running, not whether it is already called anvil.
            if (!IsRunning(pid))
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

        Kill(pid);
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

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Kills a process this class started, whatever its name is by now.</summary>
    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
