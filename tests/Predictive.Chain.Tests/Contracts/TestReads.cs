using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Tests.Contracts;

/// <summary>Typed reads the tests repeat (Nethereum messages through our client).</summary>
internal static class TestReads
{
    public static Task<BigInteger> BalanceOfAsync(this EvmRpcClient client, EthAddress token, EthAddress holder) =>
        client.QueryAsync<BalanceOfFunction, BigInteger>(token, new BalanceOfFunction { Owner = holder.ToString() });

    public static async Task<EthAddress> Token0Async(this EvmRpcClient client, EthAddress pool) =>
        Address(await client.QueryAsync<Token0Function, string>(pool, new Token0Function()));

    public static Task<ReservesOutput> ReservesAsync(this EvmRpcClient client, EthAddress pool) =>
        client.QueryOutputAsync<GetReservesFunction, ReservesOutput>(pool, new GetReservesFunction());

    /// <summary>An address as Nethereum returns it (any case) as our type.</summary>
    public static EthAddress Address(string text) => EthAddress.Parse(text.ToLowerInvariant());
}
