using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.Model;
using Nethereum.Util;

namespace Predictive.Chain.Contracts;

/// <summary>The <c>PredictiveVault</c>'s role ids and errors (src/Predictive.Chain/Solidity/PredictiveVault.sol); its calls are the typed messages in VaultMessages.cs.</summary>
public static class VaultAbi
{
    /// <summary>The role that may swap: keccak256("KEEPER_ROLE").</summary>
    public static byte[] KeeperRole { get; } = Sha3Keccack.Current.CalculateHashAsBytes("KEEPER_ROLE");

    /// <summary>The role that sets feeds, limits and whitelists and unpauses: keccak256("STRATEGY_ADMIN_ROLE").</summary>
    public static byte[] StrategyAdminRole { get; } = Sha3Keccack.Current.CalculateHashAsBytes("STRATEGY_ADMIN_ROLE");

    /// <summary>The role that may pause: keccak256("GUARDIAN_ROLE").</summary>
    public static byte[] GuardianRole { get; } = Sha3Keccack.Current.CalculateHashAsBytes("GUARDIAN_ROLE");

    /// <summary>The owner's role (custody, role admin): AccessControl's DEFAULT_ADMIN_ROLE, 32 zero bytes.</summary>
    public static byte[] OwnerRole { get; } = new byte[32];

    /// <summary>The vault's custom errors plus those of OpenZeppelin's AccessControl, Pausable, ReentrancyGuard and SafeERC20, parsed by Nethereum.</summary>
    public static IReadOnlyList<ErrorABI> Errors { get; } = new ABIStringSignatureDeserialiser().ExtractContractABI(
    [
        "error ZeroAmount()", "error AssetNotAllowed(address token)", "error RouterNotAllowed(address router)",
        "error PoolNotAllowed(address pair)", "error QuoteSideRequired(address tokenIn, address tokenOut)",
        "error TradeTooLarge(uint256 quoteAmount, uint256 maxTradeQuote)", "error DailyCapExceeded(uint256 turnoverQuote, uint256 dailyCapQuote)",
        "error BelowOracleFloor(uint256 minAmountOut, uint256 floorAmountOut)", "error DeadlinePassed(uint256 deadline, uint256 timestamp)",
        "error SlippageOutOfRange(uint16 maxSlippageBps)", "error FeedNotSet(address token)", "error FeedSettingsInvalid(address token, address aggregator)",
        "error FeedStale(address token, address aggregator, uint256 updatedAt, uint256 heartbeat)",
        "error FeedAnswerNotPositive(address token, address aggregator, int256 answer)",
        "error FeedAnswerOutOfRange(address token, address aggregator, int256 answer, int256 minAnswer, int256 maxAnswer)",
        "error FeedRoundIncomplete(address token, address aggregator, uint80 roundId, uint80 answeredInRound)",
        "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)", "error AccessControlBadConfirmation()",
        "error EnforcedPause()", "error ExpectedPause()",
        "error ReentrancyGuardReentrantCall()", "error SafeERC20FailedOperation(address token)",
        "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
        "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
    ]).Errors;
}
