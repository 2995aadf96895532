using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Predictive.Chain.Governance;
using Predictive.Chain.LocalChain;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive governance up|propose|vote|queue|execute|status|models</c>: the DAO loop on the local chain. Proposals
/// approve (and activate) a model's SHA-256 in the registry the Timelock owns; <c>--advance</c> mines past the delays on
/// anvil, elsewhere a step that is not due yet is refused with the blocks or seconds left.
/// </summary>
public static class GovernanceCommands
{
    private static readonly Option<string> ChainFile = new("--chain") { Description = "The chain manifest.", DefaultValueFactory = _ => LocalChainManifest.FileName };
    private static readonly Option<bool> Advance = new("--advance") { Description = "Local chain only: mine blocks / move time past the delay first." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print JSON." };
    private static readonly Argument<string> Id = new("id") { Description = "The proposal id (decimal)." };

    /// <summary>Builds the command group.</summary>
    public static Command Create(CliContext context)
    {
        var governance = new Command("governance", "DAO-governed models: Governor, Timelock and model registry on the local chain.");
        governance.Subcommands.Add(Up(context));
        governance.Subcommands.Add(Propose(context));
        governance.Subcommands.Add(Vote(context));
        governance.Subcommands.Add(Step(context, "queue", "Queue a succeeded proposal in the Timelock."));
        governance.Subcommands.Add(Step(context, "execute", "Execute a queued proposal once the Timelock delay has passed."));
        governance.Subcommands.Add(Status(context));
        governance.Subcommands.Add(Models(context));
        return governance;
    }

    private static Command Up(CliContext context)
    {
        var contracts = new Option<string?>("--contracts") { Description = "Contract artifact cache (default: the user's local data folder)." };
        var cmd = new Command("up", "Deploy token, Timelock, Governor and registry; hand the vault's strategy-admin role to the Timelock and its pause role to the guardian; give the dev voters their votes; write the addresses into the chain manifest.") { ChainFile, contracts };
        cmd.SetAction(async (parse, ct) =>
        {
            var (file, manifest) = Load(parse);
            if (manifest.Governance is not null)
            {
                throw new CliException($"{file} already has governance (Governor {manifest.Governance.Governor}); start a new chain for a new deployment.");
            }

            var artifacts = await ContractCompiler.CompileAsync(parse.GetValue(contracts) ?? ContractCompiler.DefaultCacheDirectory, ct).ConfigureAwait(false);
            var settings = new GovernanceSettings();
            var addresses = await LocalGovernance.UpAsync(manifest.RpcUrl, artifacts, settings, manifest.Vault, ct).ConfigureAwait(false);
            (manifest with { Governance = addresses }).Save(file);
            await context.Out.WriteLineAsync($"governance up: Governor {addresses.Governor}, Timelock {addresses.Timelock} ({settings.TimelockDelaySeconds} s delay), registry {addresses.Registry}, token {addresses.Token}; guardian {addresses.Guardian}.").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"vault {manifest.Vault}: strategy admin (feeds, limits, whitelists, unpause) is now the Timelock; the guardian {addresses.Guardian} pauses; custody stays with the owner {manifest.Owner}.").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"voting: delay {settings.VotingDelayBlocks} block(s), period {settings.VotingPeriodBlocks} blocks, quorum {settings.QuorumPercent} %; votes owner 50 %, voter1 30 %, voter2 20 %. Wrote {file}.").ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static Command Propose(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "The model directory (model.json + ONNX file).", Required = true };
        var activate = new Option<bool>("--activate") { Description = "Also make it the model's active version." };
        var description = new Option<string?>("--description") { Description = "A summary placed above the hashes and validation metrics." };
        var cmd = new Command("propose", "Propose approving a model's SHA-256 (and activating it); prints the proposal id.") { ChainFile, model, activate, description, Json };
        GovernanceSigning.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var (_, manifest) = Load(parse);
            ModelCandidate candidate;
            try
            {
                candidate = ModelCandidate.FromDirectory(parse.GetValue(model)!);
            }
            catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException)
            {
                throw new CliException(e.Message);
            }

            var (proposal, receipt) = await Client(parse, manifest).ProposeModelAsync(candidate, parse.GetValue(activate), parse.GetValue(description), ct).ConfigureAwait(false);
            var id = proposal.Id.ToString(CultureInfo.InvariantCulture);
            if (parse.GetValue(Json))
            {
                await CliJson.WriteAsync(context.Out, new { id, model = candidate.Name, version = candidate.Version, onnxSha256 = Convert.ToHexStringLower(candidate.OnnxSha256), gasUsed = (long)receipt.GasUsed.Value }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    private static Command Vote(CliContext context)
    {
        var support = new Argument<string>("support") { Description = "for, against or abstain." };
        var reason = new Option<string?>("--reason") { Description = "The reason recorded with the vote." };
        var cmd = new Command("vote", "Cast the account's vote on a proposal.") { Id, support, ChainFile, reason, Advance };
        GovernanceSigning.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var (_, manifest) = Load(parse);
            var choice = parse.GetValue(support)!.ToLowerInvariant() switch
            {
                "for" => VoteSupport.For,
                "against" => VoteSupport.Against,
                "abstain" => VoteSupport.Abstain,
                var other => throw new CliException($"support must be for, against or abstain, not '{other}'."),
            };
            var client = Client(parse, manifest);
            var id = ParseId(parse.GetValue(Id)!);
            var status = await client.StatusAsync(id, ct).ConfigureAwait(false);
            if (status.State == ProposalState.Pending)
            {
                await WaitForBlockAsync(parse, manifest, status.SnapshotBlock, "voting opens").ConfigureAwait(false);
            }

            var receipt = await client.VoteAsync(id, choice, parse.GetValue(reason), ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"voted {choice.ToString().ToLowerInvariant()} on {id} (gas {receipt.GasUsed.Value}).").ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static Command Step(CliContext context, string name, string description)
    {
        var cmd = new Command(name, description) { Id, ChainFile, Advance };
        GovernanceSigning.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var (_, manifest) = Load(parse);
            var client = Client(parse, manifest);
            var id = ParseId(parse.GetValue(Id)!);
            var proposal = await client.FindAsync(id, ct).ConfigureAwait(false);
            var status = await client.StatusAsync(id, ct).ConfigureAwait(false);
            if (name == "queue")
            {
                if (status.State is ProposalState.Pending or ProposalState.Active)
                {
                    await WaitForBlockAsync(parse, manifest, status.DeadlineBlock, "voting ends").ConfigureAwait(false);
                }

                var receipt = await client.QueueAsync(proposal, ct).ConfigureAwait(false);
                var eta = (await client.StatusAsync(id, ct).ConfigureAwait(false)).Eta;
                await context.Out.WriteLineAsync($"queued {id}; executable from unix time {eta} (gas {receipt.GasUsed.Value}).").ConfigureAwait(false);
            }
            else
            {
                if (status.State == ProposalState.Queued)
                {
                    await WaitForTimeAsync(parse, manifest, status.Eta).ConfigureAwait(false);
                }

                var receipt = await client.ExecuteAsync(proposal, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"executed {id} (gas {receipt.GasUsed.Value}).").ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    private static Command Status(CliContext context)
    {
        var id = new Argument<string?>("id") { Description = "The proposal id; all proposals when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("status", "State, votes for/against/abstain, quorum and eta of proposals.") { id, ChainFile, Json };
        cmd.SetAction(async (parse, ct) =>
        {
            var (_, manifest) = Load(parse);
            var client = new GovernanceClient(GovernanceWeb3.ReadOnly(manifest.RpcUrl), manifest.Governance!);
            IEnumerable<BigInteger> ids = parse.GetValue(id) is { } one ? [ParseId(one)] : (await client.ListAsync(ct).ConfigureAwait(false)).Select(p => p.Id);
            var rows = new List<ProposalStatus>();
            foreach (var proposal in ids)
            {
                rows.Add(await client.StatusAsync(proposal, ct).ConfigureAwait(false));
            }

            if (parse.GetValue(Json))
            {
                await CliJson.WriteAsync(context.Out, rows.Select(s => new
                {
                    id = s.Id.ToString(CultureInfo.InvariantCulture), state = s.State.ToString(), votesFor = s.For.ToString(CultureInfo.InvariantCulture),
                    votesAgainst = s.Against.ToString(CultureInfo.InvariantCulture), votesAbstain = s.Abstain.ToString(CultureInfo.InvariantCulture),
                    quorum = s.Quorum.ToString(CultureInfo.InvariantCulture), snapshotBlock = (long)s.SnapshotBlock, deadlineBlock = (long)s.DeadlineBlock, eta = (long)s.Eta,
                })).ConfigureAwait(false);
                return 0;
            }

            foreach (var s in rows)
            {
                await context.Out.WriteLineAsync($"{s.Id}: {s.State}; for {Votes(s.For)}, against {Votes(s.Against)}, abstain {Votes(s.Abstain)}, quorum {Votes(s.Quorum)}; voting blocks {s.SnapshotBlock + 1}..{s.DeadlineBlock}; eta {(s.Eta.IsZero ? "-" : s.Eta.ToString(CultureInfo.InvariantCulture))}").ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    private static Command Models(CliContext context)
    {
        var confirmations = new Option<int>("--confirmations") { Description = "Read the registry this many blocks below the latest.", DefaultValueFactory = _ => 0 };
        var cmd = new Command("models", "Approved, active and revoked models, as the chain's registry says.") { ChainFile, confirmations, Json };
        cmd.SetAction(async (parse, ct) =>
        {
            var (_, manifest) = Load(parse);
            var governance = manifest.Governance!;
            var snapshot = await new RegistryReader(GovernanceWeb3.ReadOnly(manifest.RpcUrl), governance.Registry).ReadConfirmedAsync(parse.GetValue(confirmations)).ConfigureAwait(false);
            if (parse.GetValue(Json))
            {
                await CliJson.WriteAsync(context.Out, new
                {
                    registry = governance.Registry,
                    block = (long)snapshot.Block,
                    models = snapshot.Models.Select(m => new
                    {
                        modelId = m.ModelId, version = m.Version, uri = m.Uri, status = m.Status.ToString().ToLowerInvariant(), active = m.Active,
                        onnxSha256 = m.OnnxSha256, manifestSha256 = m.ManifestSha256, approvedAtBlock = m.ApprovedAtBlock,
                    }),
                }).ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"registry {governance.Registry} at block {snapshot.Block}: {snapshot.Models.Count} version(s)").ConfigureAwait(false);
            foreach (var m in snapshot.Models)
            {
                await context.Out.WriteLineAsync($"  {m.Uri}  {m.Status.ToString().ToLowerInvariant()}{(m.Active ? ", active" : "")}  onnx {m.OnnxSha256}  approved at block {m.ApprovedAtBlock}").ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    private static string Votes(BigInteger baseUnits) => (baseUnits / BigInteger.Pow(10, 18)).ToString("N0", CultureInfo.InvariantCulture);

    private static (string File, LocalChainManifest Manifest) Load(ParseResult parse)
    {
        var file = Path.GetFullPath(parse.GetValue(ChainFile)!);
        if (!File.Exists(file))
        {
            throw new CliException($"--chain: {file} does not exist; run `predictive chain up` first.");
        }

        var manifest = LocalChainManifest.Load(file);
        var needsGovernance = parse.CommandResult.Command.Name != "up";
        return needsGovernance && manifest.Governance is null
            ? throw new CliException($"{file} has no governance; run `predictive governance up --chain {file}` first.")
            : (file, manifest);
    }

    private static GovernanceClient Client(ParseResult parse, LocalChainManifest manifest) =>
        new(GovernanceWeb3.For(GovernanceSigning.Key(parse, manifest), manifest.ChainId, manifest.RpcUrl), manifest.Governance!);

    private static BigInteger ParseId(string text) =>
        BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new CliException($"The proposal id must be a decimal number, not '{text}'.");

    private static async Task WaitForBlockAsync(ParseResult parse, LocalChainManifest manifest, BigInteger block, string what)
    {
        var clock = new ChainClock(GovernanceWeb3.ReadOnly(manifest.RpcUrl));
        var left = block + 1 - await clock.BlockNumberAsync().ConfigureAwait(false);
        if (left <= 0)
        {
            return;
        }

        if (!AdvanceAllowed(parse, manifest))
        {
            throw new CliException($"Too early: {what} after block {block}, {left} block(s) from now. Wait, or pass --advance on the local chain.");
        }

        await clock.MineAsync(left).ConfigureAwait(false);
    }

    private static async Task WaitForTimeAsync(ParseResult parse, LocalChainManifest manifest, BigInteger eta)
    {
        var clock = new ChainClock(GovernanceWeb3.ReadOnly(manifest.RpcUrl));
        var left = eta - await clock.TimestampAsync().ConfigureAwait(false);
        if (left <= 0)
        {
            return;
        }

        if (!AdvanceAllowed(parse, manifest))
        {
            throw new CliException($"Too early: the Timelock allows execution from unix time {eta}, {left} s from the last block. Wait, or pass --advance on the local chain.");
        }

        await clock.AdvanceTimeToAsync(eta).ConfigureAwait(false);
    }

    private static bool AdvanceAllowed(ParseResult parse, LocalChainManifest manifest)
    {
        if (!parse.GetValue(Advance))
        {
            return false;
        }

        return manifest.ChainId == AnvilDevAccounts.ChainId
            ? true
            : throw new CliException($"--advance moves a local anvil chain's clock; chain {manifest.ChainId} is not one.");
    }
}
