using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
using Predictive.Chain.Oracle;
using Predictive.Chain.Rpc;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Tests.Transactions;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Contracts;

[TestClass]
public sealed class VaultAnvilTests
{
    private static readonly BigInteger Usdc = BigInteger.Pow(10, 6);
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    private static ChainTestKit? _kit;
    private static World? _world;
    private static int _vaults;

    public TestContext TestContext { get; set; } = null!;

    private static ChainTestKit Kit => _kit ?? throw new InvalidOperationException("anvil is not running");

    private static World W => _world ?? throw new InvalidOperationException("not deployed");

    [ClassInitialize]
    public static async Task Deploy(TestContext context)
    {
        _ = context;
        var artifacts = ContractArtifactsFixture.Get();
        _kit = new ChainTestKit(await SharedAnvil.EnsureStartedAsync());
        var deployer = Kit.Manager("deployer", PrivateKey.FromHex(AnvilNode.DevKey));
        var owner = Kit.Manager("owner", await Kit.FundedKeyAsync("owner"), errors: VaultAbi.Errors);
        var keeper = Kit.Manager("keeper", await Kit.FundedKeyAsync("keeper"), errors: VaultAbi.Errors);
        // The attacker's tip (500 gwei) is far above anything the keeper's fee-history median can reach, so it is ordered first.
        var attacker = Kit.Manager("attacker", await Kit.FundedKeyAsync("attacker"), o => { o.MinPriorityFeeGwei = 500m; o.MaxFeePerGasCapGwei = 2_000m; });

        var tokens = new TokenDeployer(deployer, artifacts);
        var usdc = await tokens.DeployAsync("USD Coin", "USDC", 6);
        var eth = await tokens.DeployAsync("Ether", "ETH", 18);
        var btc = await tokens.DeployAsync("Bitcoin", "BTC", 8);
        await tokens.MintAsync(usdc, deployer.Account, 10_000_000 * Usdc, "mint:usdc:deployer");
        await tokens.MintAsync(eth, deployer.Account, 1_000 * Ether, "mint:eth:deployer");
        await tokens.MintAsync(btc, deployer.Account, 100 * BigInteger.Pow(10, 8), "mint:btc:deployer");
        await tokens.MintAsync(usdc, owner.Account, 1_000_000 * Usdc, "mint:usdc:owner");
        await tokens.MintAsync(eth, owner.Account, 100 * Ether, "mint:eth:owner");
        await tokens.MintAsync(usdc, attacker.Account, 1_000_000 * Usdc, "mint:usdc:attacker");

        var uniswapDeployer = new UniswapV2Deployer(deployer, artifacts);
        var uniswap = await uniswapDeployer.DeployAsync();
        var ethPool = await uniswapDeployer.CreatePoolAsync(uniswap, eth, 500 * Ether, usdc, 1_000_000 * Usdc); // 2,000 USDC per ETH
        var btcPool = await uniswapDeployer.CreatePoolAsync(uniswap, btc, 10 * BigInteger.Pow(10, 8), usdc, 600_000 * Usdc);
        await attacker.SendAsync("approve-router", usdc, new ApproveFunction { Spender = uniswap.Router.ToString(), Amount = 1_000_000 * Usdc });
        _world = new World(artifacts, deployer, owner, keeper, attacker, uniswap, usdc, eth, btc, ethPool, btcPool);
    }

    [ClassCleanup]
    public static void StopAnvil()
    {
        if (_world is { } w)
        {
            foreach (var m in new[] { w.Deployer, w.Owner, w.Keeper, w.Attacker })
            {
                m.Dispose();
            }
        }

        _kit?.Dispose();
    }

    [TestMethod]
    public void PairInitCodeHash_NpmArtifact_EqualsRouterBuiltInHash()
    {
        var pair = W.Artifacts.Get(ContractArtifacts.UniswapV2Pair);

        Assert.AreEqual("0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f", Nethereum.Util.Sha3Keccack.Current.CalculateHash(pair.Bytecode).ToHex(true));
    }

    [TestMethod]
    public void CreatePool_Factory_PairAtCreate2AddressOfInitCodeHash()
    {
        var (token0, token1) = string.CompareOrdinal(W.Eth.ToBytes().ToHex(), W.Usdc.ToBytes().ToHex()) < 0 ? (W.Eth, W.Usdc) : (W.Usdc, W.Eth);
        var salt = Nethereum.Util.Sha3Keccack.Current.CalculateHash([.. token0.ToBytes(), .. token1.ToBytes()]);
        var initCodeHash = Nethereum.Util.Sha3Keccack.Current.CalculateHash(W.Artifacts.Get(ContractArtifacts.UniswapV2Pair).Bytecode);

        var expected = EthAddress.FromBytes(Nethereum.Util.Sha3Keccack.Current.CalculateHash([0xff, .. W.Uniswap.Factory.ToBytes(), .. salt, .. initCodeHash]).AsSpan(12));

        Assert.AreEqual(expected, W.EthPool);
    }

    [TestMethod]
    public async Task Router_SeededPool_QuotesTheGivenPriceLessFee()
    {
        var quote = await Keeper(EthAddress.Zero).QuoteAsync(W.Eth, W.Usdc, Ether / 100, 0);

        // 0.01 ETH at 2,000 USDC less the 0.3% fee ≈ 19.94 USDC (price impact negligible at this size).
        Assert.IsTrue(quote.ExpectedOut > 19_930_000 && quote.ExpectedOut < 19_940_000, $"got {quote.ExpectedOut}");
    }

    [TestMethod]
    public async Task Withdraw_Owner_GetsFundsBack()
    {
        var vault = await NewVaultAsync();
        var before = await BalanceAsync(W.Usdc, W.Owner.Account);

        var result = await W.Owner.SendAsync(Id("withdraw"), vault, new VaultWithdrawFunction { Token = W.Usdc.ToString(), Amount = 1_000 * Usdc, To = W.Owner.Account.ToString() });

        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(before + 1_000 * Usdc, await BalanceAsync(W.Usdc, W.Owner.Account));
        Assert.AreEqual(99_000 * Usdc, await BalanceAsync(W.Usdc, vault));
    }

    [TestMethod]
    public async Task Swap_KeeperWithinLimits_SucceedsAndEmitsSwapped()
    {
        var vault = await NewVaultAsync();
        var keeper = Keeper(vault);
        var quote = await keeper.QuoteAsync(W.Usdc, W.Eth, 5_000 * Usdc, 50);

        var buy = await keeper.SwapAsync(Id("buy"), W.Usdc, W.Eth, 5_000 * Usdc, quote.MinAmountOut);
        var sellQuote = await keeper.QuoteAsync(W.Eth, W.Usdc, Ether, 50);
        var sell = await keeper.SwapAsync(Id("sell"), W.Eth, W.Usdc, Ether, sellQuote.MinAmountOut);

        Assert.IsTrue(buy.Succeeded, buy.Revert?.Message ?? buy.Entry.FailureReason);
        Assert.IsTrue(sell.Succeeded, sell.Revert?.Message ?? sell.Entry.FailureReason);
        var swapped = buy.Receipt!.DecodeAllEvents<SwappedEvent>().Single(e => TestReads.Address(e.Log.Address) == vault).Event;
        Assert.AreEqual(quote.ExpectedOut, swapped.AmountOut, "no one traded in between, so the output is the quote");
        Assert.AreEqual(5_000 * Usdc, swapped.QuoteAmount, "quote side counted");
        Assert.AreEqual(10 * Ether + quote.ExpectedOut - Ether, await BalanceAsync(W.Eth, vault));
        Assert.AreEqual(5_000 * Usdc + sellQuote.ExpectedOut, await Kit.Client.QueryAsync<TurnoverTodayQuoteFunction, BigInteger>(vault, new TurnoverTodayQuoteFunction()));
        TestContext.WriteLine($"gas used per vault swap: USDC→ETH {buy.Receipt!.GasUsed.Value}, ETH→USDC {sell.Receipt!.GasUsed.Value}");
    }

    [TestMethod]
    public async Task Withdraw_Keeper_RevertsWithAccessControlUnauthorizedAccount()
    {
        var vault = await NewVaultAsync();

        var result = await W.Keeper.ExecuteAsync(new TransactionIntent(Id("steal"), vault, new VaultWithdrawFunction { Token = W.Usdc.ToString(), Amount = Usdc, To = W.Keeper.Account.ToString() }.GetCallData()));

        AssertCustomError(result, "AccessControlUnauthorizedAccount");
        Assert.AreEqual(W.Keeper.Account, result.Revert!.Arguments[0]);
        CollectionAssert.AreEqual(VaultAbi.OwnerRole, (byte[])result.Revert.Arguments[1]!);
    }

    [TestMethod]
    public async Task Swap_NonWhitelistedAsset_RevertsWithAssetNotAllowed()
    {
        var vault = await NewVaultAsync();

        var result = await Keeper(vault).SwapAsync(Id("btc"), W.Usdc, W.Btc, 1_000 * Usdc, 1);

        AssertCustomError(result, "AssetNotAllowed");
        Assert.AreEqual(W.Btc, result.Revert!.Arguments[0]);
    }

    [TestMethod]
    public async Task Swap_AbovePerTradeMaximum_RevertsWithTradeTooLarge()
    {
        var vault = await NewVaultAsync();
        var keeper = Keeper(vault);
        var quote = await keeper.QuoteAsync(W.Usdc, W.Eth, 10_001 * Usdc, 50);

        var result = await keeper.SwapAsync(Id("big"), W.Usdc, W.Eth, 10_001 * Usdc, quote.MinAmountOut);

        AssertCustomError(result, "TradeTooLarge");
        Assert.AreEqual(10_001 * Usdc, (BigInteger)result.Revert!.Arguments[0]!);
    }

    [TestMethod]
    public async Task Swap_BeyondDailyCap_RevertsWithDailyCapExceeded()
    {
        var vault = await NewVaultAsync();
        var keeper = Keeper(vault);
        // Buy, sell back what was bought, buy again: the pool returns near the feed's price, so only the cap can stop the third.
        var buyQuote = await keeper.QuoteAsync(W.Usdc, W.Eth, 9_000 * Usdc, 50);
        var buy = await keeper.SwapAsync(Id("day-0"), W.Usdc, W.Eth, 9_000 * Usdc, buyQuote.MinAmountOut);
        var sellQuote = await keeper.QuoteAsync(W.Eth, W.Usdc, buyQuote.ExpectedOut, 50);
        var sell = await keeper.SwapAsync(Id("day-1"), W.Eth, W.Usdc, buyQuote.ExpectedOut, sellQuote.MinAmountOut);
        var turnover = await Kit.Client.QueryAsync<TurnoverTodayQuoteFunction, BigInteger>(vault, new TurnoverTodayQuoteFunction());
        var again = await keeper.QuoteAsync(W.Usdc, W.Eth, 9_000 * Usdc, 50);
        var third = await keeper.SwapAsync(Id("day-2"), W.Usdc, W.Eth, 9_000 * Usdc, again.MinAmountOut);

        Assert.IsTrue(buy.Succeeded && sell.Succeeded);
        Assert.AreEqual(9_000 * Usdc + sellQuote.ExpectedOut, turnover);
        AssertCustomError(third, "DailyCapExceeded");
        Assert.AreEqual(turnover + 9_000 * Usdc, (BigInteger)third.Revert!.Arguments[0]!);
    }

    [TestMethod]
    public async Task Swap_MinimumOutputZero_RevertsWithBelowOracleFloor()
    {
        var vault = await NewVaultAsync();

        var result = await Keeper(vault).SwapAsync(Id("no-min"), W.Usdc, W.Eth, 1_000 * Usdc, 0);

        AssertCustomError(result, "BelowOracleFloor");
    }

    [TestMethod]
    public async Task Swap_Sandwiched_RevertsOnMinimumOutputAndVaultLosesNothing()
    {
        var vault = await NewVaultAsync();
        var keeper = Keeper(vault);
        var quote = await keeper.QuoteAsync(W.Usdc, W.Eth, 9_000 * Usdc, 50);
        var usdcBefore = await BalanceAsync(W.Usdc, vault);
        var ethBefore = await BalanceAsync(W.Eth, vault);
        var keeperGasBefore = await Kit.Client.GetBalanceAsync(W.Keeper.Account);
        var swap = await keeper.SwapIntentAsync(Id("victim"), W.Usdc, W.Eth, 9_000 * Usdc, quote.MinAmountOut);
        var deadline = await Kit.Client.DeadlineAsync(TimeSpan.FromMinutes(10));
        var frontRun = new TransactionIntent(Id("front-run"), W.Uniswap.Router, new SwapExactTokensForTokensFunction
        {
            AmountIn = 100_000 * Usdc, AmountOutMin = BigInteger.Zero, Path = [W.Usdc.ToString(), W.Eth.ToString()], To = W.Attacker.Account.ToString(), Deadline = deadline,
        }.GetCallData())
        {
            // A pair's first trade in a block also writes its two cumulative-price slots, which a same-second estimate misses
            // (this test run alone ran out of gas without it).
            GasAllowance = 2 * (20_000 + 2_100),
        };

        // Both transactions wait in the pool and one explicit evm_mine includes them, ordered by tip: no race with automine.
        await Kit.SetAutomineAsync(false);
        ExecutionResult victim;
        ExecutionResult attack;
        try
        {
            var victimEntry = await W.Keeper.SubmitAsync(swap);
            var attackEntry = await W.Attacker.SubmitAsync(frontRun);
            Assert.AreEqual(ExecutionStep.Sent, victimEntry.Step, victimEntry.FailureReason);
            Assert.AreEqual(ExecutionStep.Sent, attackEntry.Step, attackEntry.FailureReason);
            Assert.IsLessThan(attackEntry.Attempts[^1].Fees.MaxPriorityFeePerGas, victimEntry.Attempts[^1].Fees.MaxPriorityFeePerGas, "the attacker outbids the keeper");
            await Kit.MineAsync();
            victim = await W.Keeper.WaitAsync(swap.Id);
            attack = await W.Attacker.WaitAsync(frontRun.Id);
        }
        finally
        {
            await Kit.SetAutomineAsync(true);
        }

        Assert.IsTrue(attack.Succeeded, attack.Revert?.Message ?? attack.Entry.FailureReason);
        Assert.AreEqual(attack.Receipt!.BlockNumber.Value, victim.Receipt!.BlockNumber.Value, "one block holds both");
        var block = await Kit.Client.GetBlockByNumberAsync(BlockTag.Number(victim.Receipt.BlockNumber.Value));
        CollectionAssert.AreEqual(new[] { attack.Receipt.TransactionHash, victim.Receipt.TransactionHash }, block!.TransactionHashes.ToArray(), "attacker first, by tip");
        Assert.IsFalse(victim.Succeeded);
        Assert.AreEqual(RevertKind.Error, victim.Revert!.Kind);
        Assert.AreEqual("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT", victim.Revert.Message);
        Assert.AreEqual(usdcBefore, await BalanceAsync(W.Usdc, vault));
        Assert.AreEqual(ethBefore, await BalanceAsync(W.Eth, vault));
        var gasPaid = victim.Receipt.GasUsed.Value * victim.Receipt.EffectiveGasPrice.Value;
        Assert.AreEqual(keeperGasBefore - gasPaid, await Kit.Client.GetBalanceAsync(W.Keeper.Account), "the keeper loses only gas");
        TestContext.WriteLine($"gas used by the reverted sandwiched swap: {victim.Receipt.GasUsed.Value}");
    }

    private static void AssertCustomError(ExecutionResult result, string name)
    {
        Assert.IsFalse(result.Succeeded, $"expected {name}");
        Assert.AreEqual(RevertKind.Custom, result.Revert?.Kind, result.Entry.FailureReason);
        Assert.AreEqual(name, result.Revert!.Error!.Name);
    }

    private static VaultKeeper Keeper(EthAddress vault) => new(W.Keeper, vault, W.Uniswap.Router);

    private static async Task<BigInteger> BalanceAsync(EthAddress token, EthAddress holder) =>
        await Kit.Client.BalanceOfAsync(token, holder);

    private string Id(string step) => $"{TestContext.TestName}:{step}";

    /// <summary>
    /// A fresh vault per test (limits and turnover are per vault): 100,000 USDC and 10 ETH, ETH/USDC whitelisted, with
    /// fresh price feeds at the ETH pool's current mid price (earlier tests move it) and USDC at 1.
    /// </summary>
    private static async Task<EthAddress> NewVaultAsync()
    {
        var n = Interlocked.Increment(ref _vaults);
        var mid = await PoolMidPriceAsync(W.EthPool, W.Eth, 18, 6);
        var feeds = new PriceFeeds(W.Deployer, W.Artifacts);
        var usdcFeed = await feeds.DeployAsync($"USDC-{n}", 1m);
        var ethFeed = await feeds.DeployAsync($"ETH-{n}", mid);
        return await new VaultDeployer(W.Owner, W.Artifacts).DeployAsync($"vault-{n}", new VaultSettings
        {
            QuoteToken = W.Usdc,
            Keeper = W.Keeper.Account,
            Routers = [W.Uniswap.Router],
            Assets = [W.Eth],
            Pools = [W.EthPool],
            MaxTradeQuote = 10_000 * Usdc,
            DailyCapQuote = 25_000 * Usdc,
            MaxSlippageBps = SlippageBudget.VaultMaxSlippageBps,
            Feeds = [PriceFeeds.LocalSettings(W.Usdc, usdcFeed, 1m), PriceFeeds.LocalSettings(W.Eth, ethFeed, mid)],
            Funding = new Dictionary<EthAddress, BigInteger> { [W.Usdc] = 100_000 * Usdc, [W.Eth] = 10 * Ether },
        });
    }

    private static async Task<decimal> PoolMidPriceAsync(EthAddress pool, EthAddress asset, int assetDecimals, int quoteDecimals)
    {
        var reserves = await Kit.Client.ReservesAsync(pool);
        var token0 = await Kit.Client.Token0Async(pool);
        var (assetRaw, quoteRaw) = token0 == asset ? (reserves.Reserve0, reserves.Reserve1) : (reserves.Reserve1, reserves.Reserve0);
        return (decimal)quoteRaw / (decimal)BigInteger.Pow(10, quoteDecimals) / ((decimal)assetRaw / (decimal)BigInteger.Pow(10, assetDecimals));
    }

    private sealed record World(
        ContractArtifacts Artifacts, TransactionManager Deployer, TransactionManager Owner, TransactionManager Keeper, TransactionManager Attacker,
        UniswapV2Contracts Uniswap, EthAddress Usdc, EthAddress Eth, EthAddress Btc, EthAddress EthPool, EthAddress BtcPool);
}
