using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Transactions;

/// <summary>
/// The next nonce per account, kept in a small JSON file ({"0xAddress": "7"}) that is replaced atomically on each change,
/// so a restart continues where the last run stopped. Safe for concurrent use within one process.
/// </summary>
public sealed class NonceStore
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, BigInteger> _next;

    private NonceStore(string path, Dictionary<string, BigInteger> next)
    {
        _path = path;
        _next = next;
    }

    /// <summary>The file behind the store.</summary>
    public string FilePath => _path;

    /// <summary>Opens (or starts) the store at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a nonce store.</exception>
    public static NonceStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var next = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
                foreach (var (address, nonce) in stored)
                {
                    next[EthAddress.Parse(address).ToString()] = BigInteger.Parse(nonce, NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"Nonce store '{path}' is not a JSON object of address → decimal nonce: {e.Message}", e);
            }
        }

        return new NonceStore(path, next);
    }

    /// <summary>The stored next nonce of <paramref name="account"/>, or null when none was stored.</summary>
    public BigInteger? Get(EthAddress account)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            return _next.TryGetValue(account.ToString(), out var nonce) ? nonce : null;
        }
    }

    /// <summary>Stores the next nonce of <paramref name="account"/> and writes the file before returning.</summary>
    public void Set(EthAddress account, BigInteger nextNonce)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentOutOfRangeException.ThrowIfNegative(nextNonce);
        lock (_gate)
        {
            _next[account.ToString()] = nextNonce;
            var snapshot = _next.ToDictionary(p => p.Key, p => p.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
            AtomicFile.WriteAllText(_path, JsonSerializer.Serialize(snapshot));
        }
    }
}
