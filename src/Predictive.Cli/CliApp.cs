using System.CommandLine;
using Predictive.Cli.Commands;
using Predictive.Core.Allocation;
using Predictive.Core.MarketData;

namespace Predictive.Cli;

/// <summary>
/// The <c>predictive</c> command line. Output goes to the given writers so tests can run it in-process.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for a failure the user can fix (bad input, unknown name).</summary>
    public const int UserError = 1;

    /// <summary>Exit code for an unexpected internal error.</summary>
    public const int InternalError = 3;

    /// <summary>How long a command may take to stop after SIGTERM or Ctrl-C before the process exits anyway.</summary>
    public static readonly TimeSpan ProcessTerminationTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    /// <returns>0 on success, 1 for a user error, 2 for a usage error, 3 for an internal error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var context = new CliContext(stdout, stderr, time);
        var root = new RootCommand("Predictive: learned target weights for crypto portfolios, kept on target net of costs.");
        root.Options.Add(CliContext.VerboseOption);
        root.Subcommands.Add(DataCommands.Create(context));
        root.Subcommands.Add(AllocateCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(ResearchCommands.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(ChainCommands.Create(context));
        root.Subcommands.Add(GovernanceCommands.Create(context));
        root.Subcommands.Add(RebalanceCommand.Create(context));
        root.Subcommands.Add(ModelsCommands.Create(context));
        root.Subcommands.Add(OperatorCommands.Create(context));
        root.Subcommands.Add(KeeperCommands.Create(context));

        var parse = root.Parse(args);
        // On SIGTERM/Ctrl-C the token is cancelled and the command has this long to finish: a keeper pass completes the intent it
        // has signed (broadcast, journal, receipt) before it stops, which can take more than the library's 2-second default.
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = ProcessTerminationTimeout };
        try
        {
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            if (parse.GetValue(CliContext.VerboseOption))
            {
                await stderr.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return UserError;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled.").ConfigureAwait(false);
            return UserError;
        }
#pragma warning disable CA1031 // The command line's last line of defence: report, never crash with a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"internal error: {ex.Message} (run again with --verbose for details)").ConfigureAwait(false);
            if (parse.GetValue(CliContext.VerboseOption))
            {
                await stderr.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return InternalError;
        }
    }

    private static bool IsUserError(Exception ex) => ex is MarketDataException or AllocationException or CliException
        or ArgumentException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
        or FormatException or IOException or HttpRequestException or InvalidDataException or Predictive.Training.Torch.TorchKernelException
        or Predictive.Chain.Rpc.RpcTransportException or Predictive.Chain.Governance.GovernanceException;
}
