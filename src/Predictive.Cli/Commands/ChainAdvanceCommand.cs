using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;

namespace Predictive.Cli.Commands;

/// <summary><c>predictive chain advance</c>: moves the local chain's pools and price feeds to the next bar's prices.</summary>
public static class ChainAdvanceCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = new Option<string>("--out") { Description = "Directory holding chain.json.", DefaultValueFactory = _ => "." };
        var prices = new Option<string>("--prices") { Description = "JSON file {\"prices\":{\"BTC\":31500,…}}: the next bar's closes in quote units.", Required = true };
        var settle = new Option<int>("--settle-minutes")
        {
            Description = "Chain minutes to let pass at the new prices (more than the oracle gate's 30-minute window, less than the feeds' 1-hour heartbeat).",
            DefaultValueFactory = _ => 35,
        };
        var contracts = new Option<string?>("--contracts") { Description = "Contract artifact cache (default: the user's local data folder)." };
        var cmd = new Command("advance", "Trade each pool to the next bar's price and have its feed answer it (local chain, deployer account).") { output, prices, settle, contracts };
        cmd.SetAction(async (parse, ct) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            var manifest = LocalChainManifest.Load(Path.Combine(directory, LocalChainManifest.FileName));
            var bar = ReadPrices(parse.GetValue(prices)!);
            var state = Path.Combine(directory, ChainCommands.StateFolder);
            Directory.CreateDirectory(state);
            try
            {
                var artifacts = await ContractCompiler.CompileAsync(parse.GetValue(contracts) ?? ContractCompiler.DefaultCacheDirectory, ct).ConfigureAwait(false);
                using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = new Uri(manifest.RpcUrl), AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2) });
                using var owner = new TransactionManager(
                    client, AnvilDevAccounts.Owner, ExecutionJournal.Open(Path.Combine(state, "owner.journal.jsonl")),
                    new TransactionManagerOptions { PollInterval = TimeSpan.FromMilliseconds(25), MaxFeePerGasCapGwei = 1_000m }, context.Time);
                // The block number makes this advance's intent ids unique: every advance mines blocks.
                var step = (await client.GetBlockNumberAsync(ct).ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
                var minutes = parse.GetValue(settle);
                if (minutes < 0)
                {
                    throw new CliException($"--settle-minutes must be at least 0 (got {minutes}).");
                }

                await new LocalChainAdvancer(owner, artifacts, manifest).AdvanceAsync(step, bar, TimeSpan.FromMinutes(minutes), ct).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--prices: {e.Message}");
            }
            catch (LocalChainException e)
            {
                throw new CliException(e.Message);
            }
            catch (RpcTransportException e)
            {
                throw new CliException($"The node at {manifest.RpcUrl} is not answering ({e.Message}). Is the chain running? Start it with `predictive chain up`.");
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"pools and feeds at {string.Join(", ", bar.Select(p => $"{p.Key} {p.Value}"))}.")).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static Dictionary<string, decimal> ReadPrices(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--prices file '{path}' does not exist.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("prices", out var node) || node.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"--prices file '{path}' has no \"prices\" object.");
            }

            return node.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new CliException($"--prices file '{path}' is not JSON of the form {{\"prices\":{{\"BTC\":31500,...}}}}: {e.Message}");
        }
    }
}
