using Predictive.Chain.Abi;

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

    /// <summary>Owner: setKeeper(keeper).</summary>
    public static AbiFunction SetKeeper { get; } = AbiFunction.Parse("setKeeper(address newKeeper)");

    /// <summary>Owner: setAssetAllowed(token, allowed).</summary>
    public static AbiFunction SetAssetAllowed { get; } = AbiFunction.Parse("setAssetAllowed(address token, bool allowed)");

    /// <summary>Owner: setPoolAllowed(pair, allowed).</summary>
    public static AbiFunction SetPoolAllowed { get; } = AbiFunction.Parse("setPoolAllowed(address pair, bool allowed)");

    /// <summary>Owner: setRouterAllowed(router, allowed).</summary>
    public static AbiFunction SetRouterAllowed { get; } = AbiFunction.Parse("setRouterAllowed(address router, bool allowed)");

    /// <summary>Owner: setLimits(maxTradeQuote, dailyCapQuote, maxSlippageBps).</summary>
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

    /// <summary>The vault's custom errors plus those of OpenZeppelin's Ownable, ReentrancyGuard and SafeERC20.</summary>
    public static IReadOnlyList<AbiError> Errors { get; } =
    [
        .. new[]
        {
            "NotKeeper(address caller)", "ZeroAmount()", "AssetNotAllowed(address token)", "RouterNotAllowed(address router)",
            "PoolNotAllowed(address pair)", "QuoteSideRequired(address tokenIn, address tokenOut)",
            "TradeTooLarge(uint256 quoteAmount, uint256 maxTradeQuote)", "DailyCapExceeded(uint256 turnoverQuote, uint256 dailyCapQuote)",
            "SlippageTooLoose(uint256 minAmountOut, uint256 floorAmountOut)", "DeadlinePassed(uint256 deadline, uint256 timestamp)",
            "SlippageOutOfRange(uint16 maxSlippageBps)", "OwnableUnauthorizedAccount(address account)", "OwnableInvalidOwner(address owner)",
            "ReentrancyGuardReentrantCall()", "SafeERC20FailedOperation(address token)",
            "ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
            "ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
        }.Select(AbiError.Parse),
    ];
}
