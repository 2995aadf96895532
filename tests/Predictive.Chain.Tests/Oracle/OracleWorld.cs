using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
using Predictive.Chain.Oracle;
using Predictive.Chain.Rpc;
using Predictive.Chain.Tests.Contracts;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Tests.Transactions;
using Predictive.Chain.Transactions;
using Predictive.Chain.Venue;
using Predictive.Core.Backtesting;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using TradePlannerOptions = Predictive.Core.Rebalancing.Planning.TradePlannerOptions;

namespace Predictive.Chain.Tests.Oracle;

/// <summary>
/// One fresh world per test on the shared anvil: USDC (6 decimals) and BTC (18), a BTC/USDC pool of 100 BTC and
/// 6,000,000 USDC (60,000 per BTC), Chainlink mock feeds (USDC 1, BTC 60,000; 8 decimals), and a vault holding 100,000
/// USDC and 2 BTC with the slippage budget chain up deploys. The accomplice holds 500 BTC and 10,000,000 USDC.
/// </summary>
internal sealed class OracleWorld : IDisposable
{
    public static readonly BigInteger Usdc = BigInteger.Pow(10, 6);
    public static readonly BigInteger Btc = BigInteger.Pow(10, 18);
    public const decimal BtcPrice = 60_000m;

    private OracleWorld(ChainTestKit kit, string name)
    {
        Kit = kit;
        Name = name;
    }

    public ChainTestKit Kit { get; }

    public string Name { get; }

    public TransactionManager Owner { get; private set; } = null!;

    public TransactionManager Keeper { get; private set; } = null!;

    public PrivateKey KeeperKey { get; private set; } = null!;

    public TransactionManager Accomplice { get; private set; } = null!;

    public TransactionManager Guardian { get; private set; } = null!;

    public UniswapV2Contracts Uniswap { get; private set; } = null!;

    public EthAddress UsdcToken { get; private set; } = EthAddress.Zero;

    public EthAddress BtcToken { get; private set; } = EthAddress.Zero;

    public EthAddress Pool { get; private set; } = EthAddress.Zero;

    public EthAddress UsdcFeed { get; private set; } = EthAddress.Zero;

    public EthAddress BtcFeed { get; private set; } = EthAddress.Zero;

    public EthAddress Vault { get; private set; } = EthAddress.Zero;

    public PriceFeeds Feeds { get; private set; } = null!;

    public EvmRpcClient Client => Kit.Client;

    public VaultKeeper VaultKeeper => new(Keeper, Vault, Uniswap.Router);

    public OracleAsset BtcAsset => new("BTC", BtcToken, 18, BtcFeed, Pool, BtcPrice / 100, BtcPrice * 100);

    public OracleAsset UsdcAsset => new("USDC", UsdcToken, 6, UsdcFeed, EthAddress.Zero, 0.01m, 100m);

    /// <summary>The venue's view of this world: the vault, the router, USDC and the BTC pool.</summary>
    public ChainMarket Market => new(Vault, Uniswap.Router, new ChainToken("USDC", UsdcToken, 6), [new ChainAsset(new ChainToken("BTC", BtcToken, 18), Pool)]);

    /// <summary>Another manager for the keeper's key (its own journal), with a hook at each step of a send.</summary>
    public TransactionManager KeeperManager(string name, Func<ExecutionCheckpoint, JournalEntry, ValueTask>? checkpoint = null) =>
        Kit.Manager(name, KeeperKey, checkpoint: checkpoint, errors: VaultAbi.Errors);

    /// <summary>The feeds as the composition's reference prices.</summary>
    public OracleReferencePrices Reference => new(Client, UsdcAsset, [BtcAsset], 6);

    /// <summary>
    /// A keeper run through the one composition on the feeds (full rebalance, the oracle's hygiene and the three guards
    /// with the CLI's defaults, 100 bps impact per swap), its state in <paramref name="directory"/>, sending with <paramref name="keeper"/>.
    /// </summary>
    public OnChainRebalancer Rebalancer(TransactionManager keeper, string directory) =>
        new(new OnChainVenue(Client, Market, new OnChainVenueOptions(), Keeper.Account, keeper), new RebalancePipelineOptions
        {
            Policy = PolicySpec.Full(),
            Planner = new TradePlannerOptions { MaxPriceImpactBps = SlippageBudget.PlannerMaxPriceImpactBps },
            Guards = [new LiquidityGuard(), new PriceDeviationGuard(), new VolatilityCircuitBreaker()],
        }, Reference, directory);

    public static async Task<OracleWorld> CreateAsync(string name, bool unansweredBtcFeed = false)
    {
        var artifacts = ContractArtifactsFixture.Get();
        var kit = new ChainTestKit(await SharedAnvil.EnsureStartedAsync());
        var w = new OracleWorld(kit, name);
        w.Owner = kit.Manager(name + "-owner", await kit.FundedKeyAsync(name + "-owner"), errors: VaultAbi.Errors);
        w.KeeperKey = await kit.FundedKeyAsync(name + "-keeper");
        w.Keeper = kit.Manager(name + "-keeper", w.KeeperKey, errors: VaultAbi.Errors);
        // The accomplice's tip (500 gwei) is far above anything the keeper's fee-history median reaches, so a block orders it first.
        w.Accomplice = kit.Manager(
            name + "-accomplice", await kit.FundedKeyAsync(name + "-accomplice"), o => { o.MinPriorityFeeGwei = 500m; o.MaxFeePerGasCapGwei = 2_000m; }, errors: VaultAbi.Errors);
        w.Guardian = kit.Manager(name + "-guardian", await kit.FundedKeyAsync(name + "-guardian"), errors: VaultAbi.Errors);

        var tokens = new TokenDeployer(w.Owner, artifacts);
        w.UsdcToken = await tokens.DeployAsync("USD Coin", "USDC", 6);
        w.BtcToken = await tokens.DeployAsync("Bitcoin", "BTC", 18);
        await tokens.MintAsync(w.UsdcToken, w.Owner.Account, 6_100_000 * Usdc, "mint:usdc:owner");
        await tokens.MintAsync(w.BtcToken, w.Owner.Account, 102 * Btc, "mint:btc:owner");
        await tokens.MintAsync(w.UsdcToken, w.Accomplice.Account, 10_000_000 * Usdc, "mint:usdc:accomplice");
        await tokens.MintAsync(w.BtcToken, w.Accomplice.Account, 500 * Btc, "mint:btc:accomplice");
        var uniswapDeployer = new UniswapV2Deployer(w.Owner, artifacts);
        w.Uniswap = await uniswapDeployer.DeployAsync();
        w.Pool = await uniswapDeployer.CreatePoolAsync(w.Uniswap, w.BtcToken, 100 * Btc, w.UsdcToken, 6_000_000 * Usdc);
        await w.Accomplice.SendAsync("approve:usdc", w.UsdcToken, new ApproveFunction { Spender = w.Uniswap.Router.ToString(), Amount = 10_000_000 * Usdc });
        await w.Accomplice.SendAsync("approve:btc", w.BtcToken, new ApproveFunction { Spender = w.Uniswap.Router.ToString(), Amount = 500 * Btc });

        w.Feeds = new PriceFeeds(w.Owner, artifacts);
        w.UsdcFeed = await w.Feeds.DeployAsync("USDC", 1m);
        w.BtcFeed = unansweredBtcFeed ? await UnansweredFeedAsync(w, artifacts) : await w.Feeds.DeployAsync("BTC", BtcPrice);
        w.Vault = await new VaultDeployer(w.Owner, artifacts).DeployAsync("vault", new VaultSettings
        {
            QuoteToken = w.UsdcToken,
            Keeper = w.Keeper.Account,
            Guardian = w.Guardian.Account,
            Routers = [w.Uniswap.Router],
            Assets = [w.BtcToken],
            Pools = [w.Pool],
            MaxTradeQuote = 1_000_000 * Usdc,
            DailyCapQuote = 10_000_000 * Usdc,
            MaxSlippageBps = SlippageBudget.VaultMaxSlippageBps,
            Feeds = [PriceFeeds.LocalSettings(w.UsdcToken, w.UsdcFeed, 1m), PriceFeeds.LocalSettings(w.BtcToken, w.BtcFeed, BtcPrice)],
            Funding = new Dictionary<EthAddress, BigInteger> { [w.UsdcToken] = 100_000 * Usdc, [w.BtcToken] = 2 * Btc },
        });
        return w;
    }

    /// <summary>
    /// A world whose 30-minute TWAP window lies after its deployment: 31 minutes pass, then the feeds are refreshed as a
    /// live feed would be (well within the heartbeat); an unanswered BTC feed keeps its broken round.
    /// </summary>
    public static async Task<OracleWorld> SettledAsync(string name, bool unansweredBtcFeed = false)
    {
        var w = await CreateAsync(name, unansweredBtcFeed);
        await w.IncreaseTimeAsync(TimeSpan.FromMinutes(31));
        if (!unansweredBtcFeed)
        {
            await w.Feeds.UpdateAsync(w.BtcFeed, PriceFeeds.ToAnswer(BtcPrice), "refresh:btc");
        }

        await w.Feeds.UpdateAsync(w.UsdcFeed, PriceFeeds.ToAnswer(1m), "refresh:usdc");
        return w;
    }

    /// <summary>A RoundControlledFeed whose round 2 was started but is answered only by round 1 (fresh, positive, in range).</summary>
    private static async Task<EthAddress> UnansweredFeedAsync(OracleWorld w, ContractArtifacts artifacts)
    {
        var feed = await w.Owner.DeployAsync(
            "feed:btc:rounds", artifacts.Get(ContractArtifacts.RoundControlledFeed).DeploymentData(new RoundControlledFeedDeployment { Decimals = PriceFeeds.Decimals }));
        var now = await w.Client.GetLatestTimestampAsync();
        await w.Owner.SendAsync("feed:btc:round2", feed, new SetRoundFunction
        {
            RoundId = 2, Answer = PriceFeeds.ToAnswer(BtcPrice), UpdatedAt = now.ToUnixTimeSeconds(), AnsweredInRound = BigInteger.One,
        });
        return feed;
    }

    public Task<BigInteger> BalanceAsync(EthAddress token, EthAddress holder) =>
        Client.BalanceOfAsync(token, holder);

    /// <summary>An account's value in USDC at the given BTC price.</summary>
    public async Task<decimal> ValueAsync(EthAddress holder, decimal btcPrice) =>
        ((decimal)await BalanceAsync(UsdcToken, holder) / (decimal)Usdc) + ((decimal)await BalanceAsync(BtcToken, holder) / (decimal)Btc * btcPrice);

    /// <summary>The accomplice sells <paramref name="amountIn"/> of <paramref name="tokenIn"/> straight into the pool.</summary>
    public async Task<ExecutionResult> AccompliceSwapAsync(string id, EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn) =>
        (await Accomplice.ExecuteAsync(await AccompliceSwapIntentAsync(id, tokenIn, tokenOut, amountIn))).EnsureSucceeded();

    /// <summary>The accomplice's router swap as an intent (for submitting without waiting).</summary>
    public async Task<TransactionIntent> AccompliceSwapIntentAsync(string id, EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn)
    {
        var deadline = await Client.DeadlineAsync(TimeSpan.FromMinutes(10));
        var swap = new SwapExactTokensForTokensFunction
        {
            AmountIn = amountIn, AmountOutMin = BigInteger.Zero, Path = [tokenIn.ToString(), tokenOut.ToString()], To = Accomplice.Account.ToString(), Deadline = deadline,
        };
        return new TransactionIntent(id, Uniswap.Router, swap.GetCallData())
        {
            // A pair's first trade in a block also writes its two cumulative-price slots, which a same-second estimate misses.
            GasAllowance = 2 * (20_000 + 2_100),
        };
    }

    /// <summary>The pool's mid price of BTC in USDC.</summary>
    public async Task<decimal> PoolMidAsync()
    {
        var observation = await new OracleReads(Client).ObserveAsync(Pool, BtcToken);
        return OracleReads.Twap(observation, observation, 18, 6);
    }

    /// <summary>vault.oracleFloor(tokenIn, tokenOut, amountIn).</summary>
    public Task<BigInteger> OracleFloorAsync(EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn) =>
        Client.QueryAsync<OracleFloorFunction, BigInteger>(Vault, new OracleFloorFunction { TokenIn = tokenIn.ToString(), TokenOut = tokenOut.ToString(), AmountIn = amountIn });

    /// <summary>
    /// Sends a vault swap signed with the keeper's key with a fixed gas limit, skipping gas estimation (which would
    /// refuse a reverting call), so that it is mined; returns the receipt and the revert decoded by replaying it.
    /// </summary>
    public async Task<(TransactionReceipt Receipt, RevertReason? Revert)> ForceSwapAsync(EthAddress tokenIn, EthAddress tokenOut, BigInteger amountIn, BigInteger minAmountOut)
    {
        var intent = await VaultKeeper.SwapIntentAsync("forced", tokenIn, tokenOut, amountIn, minAmountOut);
        var block = await Client.GetBlockByNumberAsync();
        var tip = BigInteger.Pow(10, 9);
        var transaction = new Eip1559Transaction
        {
            ChainId = await Client.GetChainIdAsync(),
            Nonce = await Client.GetTransactionCountAsync(KeeperKey.Address),
            MaxPriorityFeePerGas = tip,
            MaxFeePerGas = (block!.BaseFeePerGas!.Value * 2) + tip,
            GasLimit = 400_000,
            To = intent.To,
            Data = intent.Data,
        };
        var hash = await Client.SendRawTransactionAsync(transaction.Sign(KeeperKey).Raw);
        var receipt = await Receipts.WaitAsync(Client, hash);
        RevertReason? revert = null;
        try
        {
            var call = new CallInput(intent.Data.ToHex(true), intent.To!.ToString()) { From = KeeperKey.Address.ToString(), Gas = new HexBigInteger(400_000) };
            await Client.CallAsync(call, BlockTag.Number(receipt.BlockNumber.Value - 1));
        }
        catch (RpcErrorException e) when (e.RevertData is { } data)
        {
            revert = RevertReason.Decode(data, VaultAbi.Errors);
        }

        return (receipt, revert);
    }

    public async Task IncreaseTimeAsync(TimeSpan by)
    {
        await Client.RequestAsync("evm_increaseTime", [(long)by.TotalSeconds]);
        await Kit.MineAsync();
    }

    public void Dispose()
    {
        foreach (var m in new[] { Owner, Keeper, Accomplice, Guardian })
        {
            m?.Dispose();
        }

        Kit.Dispose();
    }
}
