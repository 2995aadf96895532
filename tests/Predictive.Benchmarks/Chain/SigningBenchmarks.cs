using BenchmarkDotNet.Attributes;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;

namespace Predictive.Benchmarks.Chain;

/// <summary>
/// Signing cost of a keeper transaction: an EIP-1559 vault swap signed by Nethereum (Transaction1559Signer: RLP,
/// Keccak-256, RFC 6979 secp256k1 with recovery id) plus our hash of the raw bytes, and recovering the sender from the
/// signed bytes (Nethereum's decoder and recovery). Signatures per second = 1 / mean.
/// Run: dotnet run -c Release --project tests/Predictive.Benchmarks -- --filter '*SigningBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private static readonly PrivateKey Key = PrivateKey.FromHex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    private Eip1559Transaction _transaction = null!;
    private byte[] _raw = [];

    [GlobalSetup]
    public void Setup()
    {
        // The shape of a vault swap: 6 ABI words of call data to the vault.
        _transaction = new Eip1559Transaction
        {
            ChainId = 31337, Nonce = 42, MaxPriorityFeePerGas = 1_000_000_000, MaxFeePerGas = 30_000_000_000, GasLimit = 160_000,
            To = EthAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"), Data = new byte[4 + (6 * 32)],
        };
        _raw = _transaction.Sign(Key).Raw;
    }

    [Benchmark(Description = "sign EIP-1559 swap tx")]
    public byte[] Sign() => _transaction.Sign(Key).Raw;

    [Benchmark(Description = "decode + recover sender")]
    public EthAddress Recover() => SignedRawTransaction.RecoverSender(_raw);
}
