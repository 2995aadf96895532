namespace Predictive.Chain.Transactions;

/// <summary>
/// Recognizes eth_sendRawTransaction rejections by message. Nodes share no error codes for these (geth, reth, anvil and
/// nethermind all answer -32000 or -32003 with different wording), so the known phrasings are matched.
/// </summary>
internal static class NodeErrors
{
    private static readonly string[] AlreadyKnown = ["already known", "already imported", "known transaction", "alreadyknown"];
    private static readonly string[] NonceTooLow = ["nonce too low", "noncetoolow", "nonce has already been used", "old nonce"];
    private static readonly string[] Permanent =
        ["insufficient funds", "intrinsic gas too low", "exceeds block gas limit", "invalid sender", "chain id", "max fee per gas less than block base fee", "fee cap"];

    public static bool IsAlreadyKnown(string message) => Contains(message, AlreadyKnown);

    public static bool IsNonceTooLow(string message) => Contains(message, NonceTooLow);

    public static bool IsPermanentRejection(string message) => Contains(message, Permanent);

    private static bool Contains(string message, string[] phrases) =>
        phrases.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase));
}
