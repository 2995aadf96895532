// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

interface IUniswapV2RouterLike {
    function factory() external view returns (address);
    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);
    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256 deadline)
        external returns (uint256[] memory amounts);
}

interface IUniswapV2FactoryLike {
    function getPair(address tokenA, address tokenB) external view returns (address);
}

/// @title A non-custodial portfolio vault.
/// @notice Holds ERC-20 assets for its owner, who alone deposits and withdraws. A keeper may only swap whitelisted
/// assets through whitelisted Uniswap V2 routers and pairs, within per-trade, per-day and slippage limits; the output
/// of every swap stays in the vault. Value limits are in units of the quote token: every swap has the quote token on
/// one side, and that side is what is counted (amountIn when selling quote, the amount received when buying quote).
contract PredictiveVault is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice The token in which trade limits are measured (e.g. a stablecoin); it is always whitelisted.
    IERC20 public immutable quoteToken;

    address public keeper;
    mapping(address => bool) public assetAllowed;
    mapping(address => bool) public poolAllowed;
    mapping(address => bool) public routerAllowed;

    /// @notice Largest quote-side amount of one swap.
    uint256 public maxTradeQuote;
    /// @notice Largest quote-side turnover per UTC day (block.timestamp / 1 days).
    uint256 public dailyCapQuote;
    /// @notice How far below the pool's current quote the keeper's minimum output may be, in basis points.
    uint16 public maxSlippageBps;

    uint256 public currentDay;
    uint256 public turnoverTodayQuote;

    event Deposited(address indexed token, uint256 amount);
    event Withdrawn(address indexed token, address indexed to, uint256 amount);
    event KeeperChanged(address indexed previousKeeper, address indexed newKeeper);
    event AssetAllowed(address indexed token, bool allowed);
    event PoolAllowed(address indexed pair, bool allowed);
    event RouterAllowed(address indexed router, bool allowed);
    event LimitsChanged(uint256 maxTradeQuote, uint256 dailyCapQuote, uint16 maxSlippageBps);
    event Swapped(
        address indexed router, address indexed tokenIn, address indexed tokenOut,
        uint256 amountIn, uint256 amountOut, uint256 quoteAmount);

    error NotKeeper(address caller);
    error ZeroAmount();
    error AssetNotAllowed(address token);
    error RouterNotAllowed(address router);
    error PoolNotAllowed(address pair);
    error QuoteSideRequired(address tokenIn, address tokenOut);
    error TradeTooLarge(uint256 quoteAmount, uint256 maxTradeQuote);
    error DailyCapExceeded(uint256 turnoverQuote, uint256 dailyCapQuote);
    error SlippageTooLoose(uint256 minAmountOut, uint256 floorAmountOut);
    error DeadlinePassed(uint256 deadline, uint256 timestamp);
    error SlippageOutOfRange(uint16 maxSlippageBps);

    modifier onlyKeeper() {
        if (msg.sender != keeper) revert NotKeeper(msg.sender);
        _;
    }

    constructor(address owner_, IERC20 quoteToken_) Ownable(owner_) {
        quoteToken = quoteToken_;
        assetAllowed[address(quoteToken_)] = true;
        emit AssetAllowed(address(quoteToken_), true);
    }

    // ---- owner: funds ----

    function deposit(IERC20 token, uint256 amount) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(address(token), amount);
    }

    function withdraw(IERC20 token, uint256 amount, address to) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransfer(to, amount);
        emit Withdrawn(address(token), to, amount);
    }

    // ---- owner: settings ----

    function setKeeper(address newKeeper) external onlyOwner {
        emit KeeperChanged(keeper, newKeeper);
        keeper = newKeeper;
    }

    function setAssetAllowed(address token, bool allowed) external onlyOwner {
        assetAllowed[token] = allowed;
        emit AssetAllowed(token, allowed);
    }

    function setPoolAllowed(address pair, bool allowed) external onlyOwner {
        poolAllowed[pair] = allowed;
        emit PoolAllowed(pair, allowed);
    }

    function setRouterAllowed(address router, bool allowed) external onlyOwner {
        routerAllowed[router] = allowed;
        emit RouterAllowed(router, allowed);
    }

    function setLimits(uint256 maxTradeQuote_, uint256 dailyCapQuote_, uint16 maxSlippageBps_) external onlyOwner {
        if (maxSlippageBps_ > 10_000) revert SlippageOutOfRange(maxSlippageBps_);
        maxTradeQuote = maxTradeQuote_;
        dailyCapQuote = dailyCapQuote_;
        maxSlippageBps = maxSlippageBps_;
        emit LimitsChanged(maxTradeQuote_, dailyCapQuote_, maxSlippageBps_);
    }

    // ---- keeper: swaps ----

    /// @notice Swaps amountIn of tokenIn for at least minAmountOut of tokenOut through one whitelisted pair; the output
    /// stays in the vault. minAmountOut must be within maxSlippageBps of the pool's current quote.
    function swap(
        IUniswapV2RouterLike router, address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, uint256 deadline)
        external onlyKeeper nonReentrant returns (uint256 amountOut)
    {
        if (amountIn == 0) revert ZeroAmount();
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        address[] memory path = _checkedPath(router, tokenIn, tokenOut);
        _checkMinimumOutput(router, amountIn, minAmountOut, path);

        uint256 before = IERC20(tokenOut).balanceOf(address(this));
        IERC20(tokenIn).forceApprove(address(router), amountIn);
        router.swapExactTokensForTokens(amountIn, minAmountOut, path, address(this), deadline);
        amountOut = IERC20(tokenOut).balanceOf(address(this)) - before;

        uint256 quoteAmount = tokenIn == address(quoteToken) ? amountIn : amountOut;
        _countTurnover(quoteAmount);
        emit Swapped(address(router), tokenIn, tokenOut, amountIn, amountOut, quoteAmount);
    }

    function _checkedPath(IUniswapV2RouterLike router, address tokenIn, address tokenOut) private view returns (address[] memory path) {
        if (!routerAllowed[address(router)]) revert RouterNotAllowed(address(router));
        if (!assetAllowed[tokenIn]) revert AssetNotAllowed(tokenIn);
        if (!assetAllowed[tokenOut]) revert AssetNotAllowed(tokenOut);
        if (tokenIn != address(quoteToken) && tokenOut != address(quoteToken)) revert QuoteSideRequired(tokenIn, tokenOut);
        address pair = IUniswapV2FactoryLike(router.factory()).getPair(tokenIn, tokenOut);
        if (pair == address(0) || !poolAllowed[pair]) revert PoolNotAllowed(pair);
        path = new address[](2);
        path[0] = tokenIn;
        path[1] = tokenOut;
    }

    /// @dev The keeper's own minimum output protects against sandwiches; this floor stops a careless or compromised
    /// keeper from disabling that protection (e.g. minAmountOut = 0).
    function _checkMinimumOutput(IUniswapV2RouterLike router, uint256 amountIn, uint256 minAmountOut, address[] memory path) private view {
        uint256 quoted = router.getAmountsOut(amountIn, path)[1];
        uint256 floorOut = quoted * (10_000 - maxSlippageBps) / 10_000;
        if (minAmountOut < floorOut) revert SlippageTooLoose(minAmountOut, floorOut);
    }

    function _countTurnover(uint256 quoteAmount) private {
        if (quoteAmount > maxTradeQuote) revert TradeTooLarge(quoteAmount, maxTradeQuote);
        uint256 day = block.timestamp / 1 days;
        if (day != currentDay) {
            currentDay = day;
            turnoverTodayQuote = 0;
        }
        uint256 turnover = turnoverTodayQuote + quoteAmount;
        if (turnover > dailyCapQuote) revert DailyCapExceeded(turnover, dailyCapQuote);
        turnoverTodayQuote = turnover;
    }
}
