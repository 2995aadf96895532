using Predictive.Chain.Abi;
using Nethereum.Util;

namespace Predictive.Chain.Contracts;

/// <summary>The ERC-20 functions used here (plus TestToken's mint).</summary>
public static class Erc20Abi
{
    /// <summary>balanceOf(address).</summary>
    public static AbiFunction BalanceOf { get; } = AbiFunction.Parse("balanceOf(address owner) returns (uint256)");

    /// <summary>approve(address,uint256).</summary>
    public static AbiFunction Approve { get; } = AbiFunction.Parse("approve(address spender, uint256 amount) returns (bool)");

    /// <summary>transfer(address,uint256).</summary>
    public static AbiFunction Transfer { get; } = AbiFunction.Parse("transfer(address to, uint256 amount) returns (bool)");

    /// <summary>TestToken.mint(address,uint256), deployer only.</summary>
    public static AbiFunction Mint { get; } = AbiFunction.Parse("mint(address to, uint256 amount)");
}

/// <summary>The Uniswap V2 factory, router and pair functions used here.</summary>
public static class UniswapV2Abi
{
    /// <summary>Factory.getPair(address,address).</summary>
    public static AbiFunction GetPair { get; } = AbiFunction.Parse("getPair(address tokenA, address tokenB) returns (address)");

    /// <summary>Router.addLiquidity(...).</summary>
    public static AbiFunction AddLiquidity { get; } = AbiFunction.Parse(
        "addLiquidity(address tokenA, address tokenB, uint256 amountADesired, uint256 amountBDesired, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) returns (uint256, uint256, uint256)");

    /// <summary>Router.swapExactTokensForTokens(...).</summary>
    public static AbiFunction SwapExactTokensForTokens { get; } = AbiFunction.Parse(
        "swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[])");

    /// <summary>Router.getAmountsOut(uint256,address[]).</summary>
    public static AbiFunction GetAmountsOut { get; } = AbiFunction.Parse("getAmountsOut(uint256 amountIn, address[] path) returns (uint256[])");

    /// <summary>Pair.getReserves().</summary>
    public static AbiFunction GetReserves { get; } = AbiFunction.Parse("getReserves() returns (uint112, uint112, uint32)");

    /// <summary>Pair.token0().</summary>
    public static AbiFunction Token0 { get; } = AbiFunction.Parse("token0() returns (address)");
}

/// <summary>The <c>PredictiveVault</c> contract's functions, events and errors (src/Predictive.Chain/Solidity/PredictiveVault.sol).</summary>
public static class VaultAbi
{
    /// <summary>Owner: deposit(token, amount), pulled with transferFrom.</summary>
    public static AbiFunction Deposit { get; } = AbiFunction.Parse("deposit(address token, uint256 amount)");

    /// <summary>Owner: withdraw(token, amount, to).</summary>
    public static AbiFunction Withdraw { get; } = AbiFunction.Parse("withdraw(address token, uint256 amount, address to)");

    /// <summary>Owner (role admin): grantRole(role, account).</summary>
    public static AbiFunction GrantRole { get; } = AbiFunction.Parse("grantRole(bytes32 role, address account)");

    /// <summary>Owner (role admin): revokeRole(role, account).</summary>
    public static AbiFunction RevokeRole { get; } = AbiFunction.Parse("revokeRole(bytes32 role, address account)");

    /// <summary>hasRole(role, account).</summary>
    public static AbiFunction HasRole { get; } = AbiFunction.Parse("hasRole(bytes32 role, address account) returns (bool)");

    /// <summary>Guardian: pause().</summary>
    public static AbiFunction Pause { get; } = AbiFunction.Parse("pause()");

    /// <summary>Strategy admin: unpause().</summary>
    public static AbiFunction Unpause { get; } = AbiFunction.Parse("unpause()");

    /// <summary>Strategy admin: setFeed(token, aggregator, heartbeat seconds, minAnswer, maxAnswer).</summary>
    public static AbiFunction SetFeed { get; } = AbiFunction.Parse("setFeed(address token, address aggregator, uint32 heartbeat, int128 minAnswer, int128 maxAnswer)");

    /// <summary>oracleQuote(tokenIn, tokenOut, amountIn): amountIn valued in tokenOut at the feeds' latest answers.</summary>
    public static AbiFunction OracleQuote { get; } = AbiFunction.Parse("oracleQuote(address tokenIn, address tokenOut, uint256 amountIn) returns (uint256)");

    /// <summary>oracleFloor(tokenIn, tokenOut, amountIn): the smallest minAmountOut swap accepts.</summary>
    public static AbiFunction OracleFloor { get; } = AbiFunction.Parse("oracleFloor(address tokenIn, address tokenOut, uint256 amountIn) returns (uint256)");

    /// <summary>Strategy admin: setAssetAllowed(token, allowed).</summary>
    public static AbiFunction SetAssetAllowed { get; } = AbiFunction.Parse("setAssetAllowed(address token, bool allowed)");

    /// <summary>Strategy admin: setPoolAllowed(pair, allowed).</summary>
    public static AbiFunction SetPoolAllowed { get; } = AbiFunction.Parse("setPoolAllowed(address pair, bool allowed)");

    /// <summary>Strategy admin: setRouterAllowed(router, allowed).</summary>
    public static AbiFunction SetRouterAllowed { get; } = AbiFunction.Parse("setRouterAllowed(address router, bool allowed)");

    /// <summary>Strategy admin: setLimits(maxTradeQuote, dailyCapQuote, maxSlippageBps).</summary>
    public static AbiFunction SetLimits { get; } = AbiFunction.Parse("setLimits(uint256 maxTradeQuote, uint256 dailyCapQuote, uint16 maxSlippageBps)");

    /// <summary>Keeper: swap(router, tokenIn, tokenOut, amountIn, minAmountOut, deadline) returns amountOut.</summary>
    public static AbiFunction Swap { get; } = AbiFunction.Parse(
        "swap(address router, address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, uint256 deadline) returns (uint256)");

    /// <summary>turnoverTodayQuote().</summary>
    public static AbiFunction TurnoverTodayQuote { get; } = AbiFunction.Parse("turnoverTodayQuote() returns (uint256)");

    /// <summary>Emitted by every swap.</summary>
    public static AbiEvent Swapped { get; } = AbiEvent.Parse(
        "Swapped(address indexed router, address indexed tokenIn, address indexed tokenOut, uint256 amountIn, uint256 amountOut, uint256 quoteAmount)");

    /// <summary>Emitted by setLimits.</summary>
    public static AbiEvent LimitsChanged { get; } = AbiEvent.Parse("LimitsChanged(uint256 maxTradeQuote, uint256 dailyCapQuote, uint16 maxSlippageBps)");

    /// <summary>The role that may swap: keccak256("KEEPER_ROLE").</summary>
    public static byte[] KeeperRole { get; } = Sha3Keccack.Current.CalculateHashAsBytes("KEEPER_ROLE");

    /// <summary>The role that sets feeds, limits and whitelists and unpauses: keccak256("STRATEGY_ADMIN_ROLE").</summary>
    public static byte[] StrategyAdminRole { get; } = Sha3Keccack.Current.CalculateHashAsBytes("STRATEGY_ADMIN_ROLE");

    /// <summary>The role that may pause: keccak256("GUARDIAN_ROLE").</summary>
    public static byte[] GuardianRole { get; } = Sha3Keccack.Current.CalculateHashAsBytes("GUARDIAN_ROLE");

    /// <summary>The owner's role (custody, role admin): AccessControl's DEFAULT_ADMIN_ROLE, 32 zero bytes.</summary>
    public static byte[] OwnerRole { get; } = new byte[32];

    /// <summary>The vault's custom errors plus those of OpenZeppelin's AccessControl, Pausable, ReentrancyGuard and SafeERC20.</summary>
    public static IReadOnlyList<AbiError> Errors { get; } =
    [
        .. new[]
        {
            "ZeroAmount()", "AssetNotAllowed(address token)", "RouterNotAllowed(address router)",
            "PoolNotAllowed(address pair)", "QuoteSideRequired(address tokenIn, address tokenOut)",
            "TradeTooLarge(uint256 quoteAmount, uint256 maxTradeQuote)", "DailyCapExceeded(uint256 turnoverQuote, uint256 dailyCapQuote)",
            "BelowOracleFloor(uint256 minAmountOut, uint256 floorAmountOut)", "DeadlinePassed(uint256 deadline, uint256 timestamp)",
            "SlippageOutOfRange(uint16 maxSlippageBps)", "FeedNotSet(address token)", "FeedSettingsInvalid(address token, address aggregator)",
            "FeedStale(address token, address aggregator, uint256 updatedAt, uint256 heartbeat)",
            "FeedAnswerNotPositive(address token, address aggregator, int256 answer)",
            "FeedAnswerOutOfRange(address token, address aggregator, int256 answer, int256 minAnswer, int256 maxAnswer)",
            "FeedRoundIncomplete(address token, address aggregator, uint80 roundId, uint80 answeredInRound)",
            "AccessControlUnauthorizedAccount(address account, bytes32 neededRole)", "AccessControlBadConfirmation()",
            "EnforcedPause()", "ExpectedPause()",
            "ReentrancyGuardReentrantCall()", "SafeERC20FailedOperation(address token)",
            "ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
            "ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
        }.Select(AbiError.Parse),
    ];
}

/// <summary>Chainlink <c>AggregatorV3Interface</c> reads and the local feeds' writes (MockV3Aggregator, RoundControlledFeed).</summary>
public static class FeedAbi
{
    /// <summary>decimals() of the answers.</summary>
    public static AbiFunction Decimals { get; } = AbiFunction.Parse("decimals() returns (uint8)");

    /// <summary>latestRoundData() returns (roundId, answer, startedAt, updatedAt, answeredInRound).</summary>
    public static AbiFunction LatestRoundData { get; } = AbiFunction.Parse("latestRoundData() returns (uint80, int256, uint256, uint256, uint80)");

    /// <summary>MockV3Aggregator.updateAnswer(answer): a new round at the block's timestamp.</summary>
    public static AbiFunction UpdateAnswer { get; } = AbiFunction.Parse("updateAnswer(int256 answer)");

    /// <summary>MockV3Aggregator.updateRoundData(roundId, answer, timestamp, startedAt).</summary>
    public static AbiFunction UpdateRoundData { get; } = AbiFunction.Parse("updateRoundData(uint80 roundId, int256 answer, uint256 timestamp, uint256 startedAt)");

    /// <summary>RoundControlledFeed.setRound(roundId, answer, updatedAt, answeredInRound) (tests).</summary>
    public static AbiFunction SetRound { get; } = AbiFunction.Parse("setRound(uint80 roundId, int256 answer, uint256 updatedAt, uint80 answeredInRound)");
}

/// <summary>The Uniswap V2 pair's cumulative-price reads used by the TWAP.</summary>
public static class UniswapV2OracleAbi
{
    /// <summary>Pair.price0CumulativeLast(): Σ (reserve1 / reserve0 as UQ112x112) × seconds, at the pair's last update.</summary>
    public static AbiFunction Price0CumulativeLast { get; } = AbiFunction.Parse("price0CumulativeLast() returns (uint256)");

    /// <summary>Pair.price1CumulativeLast(): Σ (reserve0 / reserve1 as UQ112x112) × seconds, at the pair's last update.</summary>
    public static AbiFunction Price1CumulativeLast { get; } = AbiFunction.Parse("price1CumulativeLast() returns (uint256)");
}
