// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

interface IUniswapV2RouterLike {
    function factory() external view returns (address);
    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256 deadline)
        external returns (uint256[] memory amounts);
}

interface IUniswapV2FactoryLike {
    function getPair(address tokenA, address tokenB) external view returns (address);
}

/// @title A non-custodial portfolio vault whose swaps are floored by oracle prices.
/// @notice Roles (OpenZeppelin AccessControl):
/// - OWNER_ROLE (= DEFAULT_ADMIN_ROLE): custody (deposit, withdraw) and granting/revoking the keeper and the owner;
/// - STRATEGY_ADMIN_ROLE: price feeds and their heartbeats and ranges, limits, whitelists, unpause, and granting/revoking
///   itself and the guardian (so once governance holds it, the owner cannot take it back or remove the guardian);
/// - GUARDIAN_ROLE: pause only;
/// - KEEPER_ROLE: swap only.
/// Without governance the owner also holds STRATEGY_ADMIN_ROLE; governance hands it to a Timelock. A keeper swaps whitelisted assets through whitelisted
/// Uniswap V2 routers and pairs; the output stays in the vault. Every swap's minimum output must be at least the
/// oracle quote of its input (Chainlink-compatible feeds of both tokens, in a common unit such as USD) less
/// maxSlippageBps, so a keeper cannot sell into a manipulated pool. Value limits are in units of the quote token:
/// every swap has the quote token on one side, and that side is what is counted.
contract PredictiveVault is AccessControl, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant OWNER_ROLE = DEFAULT_ADMIN_ROLE;
    bytes32 public constant STRATEGY_ADMIN_ROLE = keccak256("STRATEGY_ADMIN_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    /// @notice A token's price feed and the bounds its answers must respect.
    struct Feed {
        AggregatorV3Interface aggregator;
        /// @dev Largest age of the latest answer, in seconds.
        uint32 heartbeat;
        uint8 feedDecimals;
        uint8 tokenDecimals;
        /// @dev Smallest and largest answer accepted, in the feed's own decimals.
        int128 minAnswer;
        int128 maxAnswer;
    }

    /// @notice The token in which trade limits are measured (e.g. a stablecoin); it is always whitelisted.
    IERC20 public immutable quoteToken;

    mapping(address => bool) public assetAllowed;
    mapping(address => bool) public poolAllowed;
    mapping(address => bool) public routerAllowed;
    mapping(address => Feed) public feeds;

    /// @notice Largest quote-side amount of one swap.
    uint256 public maxTradeQuote;
    /// @notice Largest quote-side turnover per UTC day (block.timestamp / 1 days).
    uint256 public dailyCapQuote;
    /// @notice How far below the oracle quote the keeper's minimum output may be, in basis points.
    uint16 public maxSlippageBps;

    uint256 public currentDay;
    uint256 public turnoverTodayQuote;

    event Deposited(address indexed token, uint256 amount);
    event Withdrawn(address indexed token, address indexed to, uint256 amount);
    event AssetAllowed(address indexed token, bool allowed);
    event PoolAllowed(address indexed pair, bool allowed);
    event RouterAllowed(address indexed router, bool allowed);
    event FeedSet(address indexed token, address indexed aggregator, uint32 heartbeat, int128 minAnswer, int128 maxAnswer);
    event LimitsChanged(uint256 maxTradeQuote, uint256 dailyCapQuote, uint16 maxSlippageBps);
    event Swapped(
        address indexed router, address indexed tokenIn, address indexed tokenOut,
        uint256 amountIn, uint256 amountOut, uint256 quoteAmount);

    error ZeroAmount();
    error AssetNotAllowed(address token);
    error RouterNotAllowed(address router);
    error PoolNotAllowed(address pair);
    error QuoteSideRequired(address tokenIn, address tokenOut);
    error TradeTooLarge(uint256 quoteAmount, uint256 maxTradeQuote);
    error DailyCapExceeded(uint256 turnoverQuote, uint256 dailyCapQuote);
    error BelowOracleFloor(uint256 minAmountOut, uint256 floorAmountOut);
    error DeadlinePassed(uint256 deadline, uint256 timestamp);
    error SlippageOutOfRange(uint16 maxSlippageBps);
    error FeedNotSet(address token);
    error FeedSettingsInvalid(address token, address aggregator);
    error FeedStale(address token, address aggregator, uint256 updatedAt, uint256 heartbeat);
    error FeedAnswerNotPositive(address token, address aggregator, int256 answer);
    error FeedAnswerOutOfRange(address token, address aggregator, int256 answer, int256 minAnswer, int256 maxAnswer);
    error FeedRoundIncomplete(address token, address aggregator, uint80 roundId, uint80 answeredInRound);

    constructor(address owner_, IERC20 quoteToken_) {
        quoteToken = quoteToken_;
        _grantRole(OWNER_ROLE, owner_);
        _grantRole(STRATEGY_ADMIN_ROLE, owner_);
        _setRoleAdmin(STRATEGY_ADMIN_ROLE, STRATEGY_ADMIN_ROLE);
        _setRoleAdmin(GUARDIAN_ROLE, STRATEGY_ADMIN_ROLE);
        assetAllowed[address(quoteToken_)] = true;
        emit AssetAllowed(address(quoteToken_), true);
    }

    // ---- owner: custody ----

    function deposit(IERC20 token, uint256 amount) external onlyRole(OWNER_ROLE) nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(address(token), amount);
    }

    function withdraw(IERC20 token, uint256 amount, address to) external onlyRole(OWNER_ROLE) nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransfer(to, amount);
        emit Withdrawn(address(token), to, amount);
    }

    // ---- guardian: pause; strategy admin: unpause ----

    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(STRATEGY_ADMIN_ROLE) {
        _unpause();
    }

    // ---- strategy admin: feeds, limits, whitelists ----

    function setAssetAllowed(address token, bool allowed) external onlyRole(STRATEGY_ADMIN_ROLE) {
        assetAllowed[token] = allowed;
        emit AssetAllowed(token, allowed);
    }

    function setPoolAllowed(address pair, bool allowed) external onlyRole(STRATEGY_ADMIN_ROLE) {
        poolAllowed[pair] = allowed;
        emit PoolAllowed(pair, allowed);
    }

    function setRouterAllowed(address router, bool allowed) external onlyRole(STRATEGY_ADMIN_ROLE) {
        routerAllowed[router] = allowed;
        emit RouterAllowed(router, allowed);
    }

    /// @notice Sets the price feed of a token (all feeds of one vault quote the same unit, e.g. USD), how old its
    /// latest answer may be (heartbeat, seconds) and the range of answers accepted (feed decimals). The feed's and the
    /// token's decimals are read here once.
    function setFeed(address token, AggregatorV3Interface aggregator, uint32 heartbeat, int128 minAnswer, int128 maxAnswer)
        external onlyRole(STRATEGY_ADMIN_ROLE)
    {
        if (address(aggregator) == address(0) || heartbeat == 0 || minAnswer <= 0 || maxAnswer < minAnswer) {
            revert FeedSettingsInvalid(token, address(aggregator));
        }
        uint8 feedDecimals = aggregator.decimals();
        uint8 tokenDecimals = IERC20Metadata(token).decimals();
        if (feedDecimals > 36 || tokenDecimals > 36) revert FeedSettingsInvalid(token, address(aggregator));
        feeds[token] = Feed(aggregator, heartbeat, feedDecimals, tokenDecimals, minAnswer, maxAnswer);
        emit FeedSet(token, address(aggregator), heartbeat, minAnswer, maxAnswer);
    }

    function setLimits(uint256 maxTradeQuote_, uint256 dailyCapQuote_, uint16 maxSlippageBps_) external onlyRole(STRATEGY_ADMIN_ROLE) {
        if (maxSlippageBps_ > 10_000) revert SlippageOutOfRange(maxSlippageBps_);
        maxTradeQuote = maxTradeQuote_;
        dailyCapQuote = dailyCapQuote_;
        maxSlippageBps = maxSlippageBps_;
        emit LimitsChanged(maxTradeQuote_, dailyCapQuote_, maxSlippageBps_);
    }

    // ---- views ----

    /// @notice The value of amountIn of tokenIn in tokenOut at the feeds' latest answers; reverts when either feed is
    /// missing, stale, out of range or its round unanswered.
    function oracleQuote(address tokenIn, address tokenOut, uint256 amountIn) public view returns (uint256) {
        (uint256 priceIn, Feed memory feedIn) = _price(tokenIn);
        (uint256 priceOut, Feed memory feedOut) = _price(tokenOut);
        // amountIn · priceIn / 10^(fdIn + tdIn) = amountOut · priceOut / 10^(fdOut + tdOut)
        uint256 scaleIn = 10 ** (uint256(feedIn.feedDecimals) + feedIn.tokenDecimals);
        uint256 scaleOut = 10 ** (uint256(feedOut.feedDecimals) + feedOut.tokenDecimals);
        return Math.mulDiv(Math.mulDiv(amountIn, priceIn, priceOut), scaleOut, scaleIn);
    }

    /// @notice The smallest minAmountOut swap accepts: the oracle quote less maxSlippageBps.
    function oracleFloor(address tokenIn, address tokenOut, uint256 amountIn) public view returns (uint256) {
        return oracleQuote(tokenIn, tokenOut, amountIn) * (10_000 - maxSlippageBps) / 10_000;
    }

    // ---- keeper: swaps ----

    /// @notice Swaps amountIn of tokenIn for at least minAmountOut of tokenOut through one whitelisted pair; the output
    /// stays in the vault. minAmountOut must be at least oracleFloor(tokenIn, tokenOut, amountIn).
    function swap(
        IUniswapV2RouterLike router, address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, uint256 deadline)
        external onlyRole(KEEPER_ROLE) whenNotPaused nonReentrant returns (uint256 amountOut)
    {
        if (amountIn == 0) revert ZeroAmount();
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        address[] memory path = _checkedPath(router, tokenIn, tokenOut);
        uint256 floorOut = oracleFloor(tokenIn, tokenOut, amountIn);
        if (minAmountOut < floorOut) revert BelowOracleFloor(minAmountOut, floorOut);

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

    /// @dev The token's latest feed answer after every check an audit asks for: a feed is set, the round was answered,
    /// the answer is positive and within the configured range, and it is no older than the heartbeat.
    function _price(address token) private view returns (uint256 answer, Feed memory feed) {
        feed = feeds[token];
        address aggregator = address(feed.aggregator);
        if (aggregator == address(0)) revert FeedNotSet(token);
        (uint80 roundId, int256 raw,, uint256 updatedAt, uint80 answeredInRound) = feed.aggregator.latestRoundData();
        if (answeredInRound < roundId) revert FeedRoundIncomplete(token, aggregator, roundId, answeredInRound);
        if (raw <= 0) revert FeedAnswerNotPositive(token, aggregator, raw);
        if (raw < feed.minAnswer || raw > feed.maxAnswer) {
            revert FeedAnswerOutOfRange(token, aggregator, raw, feed.minAnswer, feed.maxAnswer);
        }
        if (updatedAt == 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > feed.heartbeat) {
            revert FeedStale(token, aggregator, updatedAt, feed.heartbeat);
        }
        answer = uint256(raw);
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
