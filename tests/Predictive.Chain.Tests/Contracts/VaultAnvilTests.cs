using System.Numerics;
using Predictive.Chain.Abi;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
using Predictive.Chain.Primitives;
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
        await ChainCalls.SendAsync(attacker, "approve-router", usdc, Erc20Abi.Approve, [uniswap.Router, 1_000_000 * Usdc]);
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

        Assert.AreEqual("0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f", Hex.Encode(Nethereum.Util.Sha3Keccack.Current.CalculateHash(pair.Bytecode)));
    }

    [TestMethod]
    public void CreatePool_Factory_PairAtCreate2AddressOfInitCodeHash()
    {
        var (token0, token1) = string.CompareOrdinal(Hex.Encode(W.Eth.ToBytes()), Hex.Encode(W.Usdc.ToBytes())) < 0 ? (W.Eth, W.Usdc) : (W.Usdc, W.Eth);
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

        var result = await ChainCalls.SendAsync(W.Owner, Id("withdraw"), vault, VaultAbi.Withdraw, [W.Usdc, 1_000 * Usdc, W.Owner.Account]);

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
        var log = buy.Receipt!.Logs.Single(l => l.Address == vault && l.Topics[0].AsSpan().SequenceEqual(VaultAbi.Swapped.Topic0));
        var swapped = VaultAbi.Swapped.Decode(log.Topics, log.Data);
        Assert.AreEqual(quote.ExpectedOut, (BigInteger)swapped[4]!, "no one traded in between, so the output is the quote");
        Assert.AreEqual(5_000 * Usdc, (BigInteger)swapped[5]!, "quote side counted");
        Assert.AreEqual(10 * Ether + quote.ExpectedOut - Ether, await BalanceAsync(W.Eth, vault));
        Assert.AreEqual(5_000 * Usdc + sellQuote.ExpectedOut, await ChainCalls.ReadUIntAsync(Kit.Client, vault, VaultAbi.TurnoverTodayQuote, []));
        TestContext.WriteLine($"gas used per vault swap: USDC→ETH {buy.Receipt!.GasUsed}, ETH→USDC {sell.Receipt!.GasUsed}");
    }

    [TestMethod]
    public async Task Withdraw_Keeper_RevertsWithOwnableUnauthorizedAccount()
    {
        var vault = await NewVaultAsync();

        var result = await W.Keeper.ExecuteAsync(new TransactionIntent(Id("steal"), vault, VaultAbi.Withdraw.EncodeCall(W.Usdc, Usdc, W.Keeper.Account)));

        AssertCustomError(result, "OwnableUnauthorizedAccount");
        Assert.AreEqual(W.Keeper.Account, result.Revert!.Arguments[0]);
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
        var results = new List<ExecutionResult>();
        for (var i = 0; i < 3; i++)
        {
            var quote = await keeper.QuoteAsync(W.Usdc, W.Eth, 9_000 * Usdc, 50);
            results.Add(await keeper.SwapAsync(Id($"day-{i}"), W.Usdc, W.Eth, 9_000 * Usdc, quote.MinAmountOut));
        }

        Assert.IsTrue(results[0].Succeeded && results[1].Succeeded);
        AssertCustomError(results[2], "DailyCapExceeded");
        Assert.AreEqual(27_000 * Usdc, (BigInteger)results[2].Revert!.Arguments[0]!);
    }

    [TestMethod]
    public async Task Swap_MinimumOutputBelowSlippageFloor_RevertsWithSlippageTooLoose()
    {
        var vault = await NewVaultAsync();

        var result = await Keeper(vault).SwapAsync(Id("no-min"), W.Usdc, W.Eth, 1_000 * Usdc, 0);

        AssertCustomError(result, "SlippageTooLoose");
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
        var deadline = await ChainCalls.DeadlineAsync(Kit.Client, TimeSpan.FromMinutes(10));
        var frontRun = new TransactionIntent(Id("front-run"), W.Uniswap.Router, UniswapV2Abi.SwapExactTokensForTokens.EncodeCall(
            100_000 * Usdc, BigInteger.Zero, new object?[] { W.Usdc, W.Eth }, W.Attacker.Account, deadline));

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
        Assert.AreEqual(attack.Receipt!.BlockNumber, victim.Receipt!.BlockNumber, "one block holds both");
        var block = await Kit.Client.GetBlockByNumberAsync(BlockTag.Number(victim.Receipt.BlockNumber));
        CollectionAssert.AreEqual(new[] { attack.Receipt.TransactionHash, victim.Receipt.TransactionHash }, block!.TransactionHashes.ToArray(), "attacker first, by tip");
        Assert.IsFalse(victim.Succeeded);
        Assert.AreEqual(RevertKind.Error, victim.Revert!.Kind);
        Assert.AreEqual("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT", victim.Revert.Message);
        Assert.AreEqual(usdcBefore, await BalanceAsync(W.Usdc, vault));
        Assert.AreEqual(ethBefore, await BalanceAsync(W.Eth, vault));
        var gasPaid = victim.Receipt.GasUsed * victim.Receipt.EffectiveGasPrice!.Value;
        Assert.AreEqual(keeperGasBefore - gasPaid, await Kit.Client.GetBalanceAsync(W.Keeper.Account), "the keeper loses only gas");
        TestContext.WriteLine($"gas used by the reverted sandwiched swap: {victim.Receipt.GasUsed}");
    }

    private static void AssertCustomError(ExecutionResult result, string name)
    {
        Assert.IsFalse(result.Succeeded, $"expected {name}");
        Assert.AreEqual(RevertKind.Custom, result.Revert?.Kind, result.Entry.FailureReason);
        Assert.AreEqual(name, result.Revert!.Error!.Name);
    }

    private static VaultKeeper Keeper(EthAddress vault) => new(W.Keeper, vault, W.Uniswap.Router);

    private static async Task<BigInteger> BalanceAsync(EthAddress token, EthAddress holder) =>
        await ChainCalls.ReadUIntAsync(Kit.Client, token, Erc20Abi.BalanceOf, [holder]);

    private string Id(string step) => $"{TestContext.TestName}:{step}";

    /// <summary>A fresh vault per test (limits and turnover are per vault): 100,000 USDC and 10 ETH, ETH/USDC whitelisted.</summary>
    private static Task<EthAddress> NewVaultAsync() =>
        new VaultDeployer(W.Owner, W.Artifacts).DeployAsync($"vault-{Interlocked.Increment(ref _vaults)}", new VaultSettings
        {
            QuoteToken = W.Usdc,
            Keeper = W.Keeper.Account,
            Routers = [W.Uniswap.Router],
            Assets = [W.Eth],
            Pools = [W.EthPool],
            MaxTradeQuote = 10_000 * Usdc,
            DailyCapQuote = 25_000 * Usdc,
            MaxSlippageBps = 100,
            Funding = new Dictionary<EthAddress, BigInteger> { [W.Usdc] = 100_000 * Usdc, [W.Eth] = 10 * Ether },
        });

    private sealed record World(
        ContractArtifacts Artifacts, TransactionManager Deployer, TransactionManager Owner, TransactionManager Keeper, TransactionManager Attacker,
        UniswapV2Contracts Uniswap, EthAddress Usdc, EthAddress Eth, EthAddress Btc, EthAddress EthPool, EthAddress BtcPool);
}
