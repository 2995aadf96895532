using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Predictive.Operator.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 cluster on a free loopback port, started on first use and stopped when the test assembly
/// ends (one per assembly; each test takes a database of its own). <c>initdb</c> and <c>pg_ctl</c> refuse to run as
/// root, so as root they run as the <c>postgres</c> user (<c>runuser</c>) in a folder that user owns.
/// </summary>
[TestClass]
public static class PostgresServer
{
    /// <summary>Where Debian's postgresql-15 puts its programs (eng/bootstrap.sh installs it).</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<Task<Instance>> Started = new(StartAsync);

    /// <summary>A fresh, empty database on the shared cluster; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Started.Value.ConfigureAwait(false);
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return server.ConnectionString(name);
    }

    /// <summary>Stops the cluster (immediate mode) and removes its folder, if it was started.</summary>
    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        if (!Started.IsValueCreated)
        {
            return;
        }

        var server = await Started.Value.ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", server.Data, "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
        Directory.Delete(server.Folder, recursive: true);
    }

    private static async Task<Instance> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb is missing); run ./eng/bootstrap.sh, which installs postgresql-15.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "predictive-pg-" + Guid.NewGuid().ToString("N")[..12]);
        await RunAsync("mkdir", ["-m", "700", folder]).ConfigureAwait(false);
        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]).ConfigureAwait(false);

        // A free port can be taken between the check and the bind; a fresh one settles that race.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var options = string.Create(CultureInfo.InvariantCulture, $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=200");
            try
            {
                await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "start"]).ConfigureAwait(false);
                return new Instance(folder, data, port);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    // As root, as the postgres user (which then owns what it creates); otherwise as ourselves.
    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Instance(string Folder, string Data, int Port)
    {
        public string ConnectionString(string database) =>
            string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=15;Command Timeout=30");
    }
}
