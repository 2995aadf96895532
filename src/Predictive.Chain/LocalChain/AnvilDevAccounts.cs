using Predictive.Chain.Crypto;

namespace Predictive.Chain.LocalChain;

/// <summary>
/// The first accounts of anvil's default development mnemonic ("test test … junk"). Their keys are public knowledge:
/// they are for local chains only and never hold anything of value.
/// </summary>
public static class AnvilDevAccounts
{
    /// <summary>The chain id anvil is started with.</summary>
    public const long ChainId = 31337;

    /// <summary>Dev account 0: deployer and demo vault owner.</summary>
    public static PrivateKey Owner { get; } = PrivateKey.FromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    /// <summary>Dev account 1: the demo vault's keeper.</summary>
    public static PrivateKey Keeper { get; } = PrivateKey.FromHex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

    /// <summary>Dev account 2: the governance guardian (cancels queued proposals; holds no votes).</summary>
    public static PrivateKey Guardian { get; } = PrivateKey.FromHex("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    /// <summary>Dev accounts 0, 3 and 4: the local chain's voters (50 %, 30 % and 20 % of the votes after <c>governance up</c>).</summary>
    public static IReadOnlyList<PrivateKey> Voters { get; } =
    [
        Owner,
        PrivateKey.FromHex("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
        PrivateKey.FromHex("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
    ];

    /// <summary>The dev key of <paramref name="address"/>, or null when it is not one of these accounts.</summary>
    public static PrivateKey? KeyOf(EthAddress address) =>
        address == Owner.Address ? Owner : address == Keeper.Address ? Keeper : null;
}
