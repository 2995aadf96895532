using System.Text.Json;
using System.Text.Json.Serialization;
using Predictive.Chain.Crypto;
using Predictive.Chain.Oracle;
using Predictive.Chain.Venue;

namespace Predictive.Chain.LocalChain;

/// <summary>A token in chain.json.</summary>
/// <param name="Symbol">Symbol.</param>
/// <param name="Address">Contract address (EIP-55).</param>
/// <param name="Decimals">Decimals.</param>
/// <param name="Pool">The asset/quote pair (null for the quote token).</param>
/// <param name="Price">The seeded price in quote units (null for the quote token).</param>
/// <param name="Feed">Its Chainlink-compatible USD price feed (null when none was deployed).</param>
public sealed record ManifestToken(string Symbol, string Address, int Decimals, string? Pool = null, decimal? Price = null, string? Feed = null);

/// <summary>
/// chain.json: what <c>predictive chain up</c> started and deployed. Field names are stable (camelCase):
/// rpcUrl, chainId, pid, vault, router, factory, weth, owner, keeper, quoteToken, assets [{symbol, address, decimals, pool, price, feed}], quoteToken.feed.
/// </summary>
public sealed record LocalChainManifest
{
    /// <summary>The file name written by <c>chain up</c>.</summary>
    public const string FileName = "chain.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The node's JSON-RPC URL.</summary>
    public required string RpcUrl { get; init; }

    /// <summary>The chain id.</summary>
    public required long ChainId { get; init; }

    /// <summary>The anvil process id (for <c>chain down</c>); null for a chain this tool did not start.</summary>
    public int? Pid { get; init; }

    /// <summary>The vault.</summary>
    public required string Vault { get; init; }

    /// <summary>The Uniswap V2 router.</summary>
    public required string Router { get; init; }

    /// <summary>The Uniswap V2 factory.</summary>
    public string? Factory { get; init; }

    /// <summary>WETH9.</summary>
    public string? Weth { get; init; }

    /// <summary>The vault's owner.</summary>
    public required string Owner { get; init; }

    /// <summary>The vault's keeper.</summary>
    public required string Keeper { get; init; }

    /// <summary>The quote token.</summary>
    public required ManifestToken QuoteToken { get; init; }

    /// <summary>The assets with their pools.</summary>
    public required IReadOnlyList<ManifestToken> Assets { get; init; }

    /// <summary>Where the prices came from (a data file or "synthetic").</summary>
    public string? Data { get; init; }

    /// <summary>The governance contracts (after <c>predictive governance up</c>), or null.</summary>
    public Governance.GovernanceAddresses? Governance { get; init; }

    /// <summary>anvil's log file.</summary>
    public string? LogFile { get; init; }

    /// <summary>The venue's view: vault, router, tokens and pools.</summary>
    /// <exception cref="FormatException">An address is malformed.</exception>
    public ChainMarket ToMarket() => new(
        EthAddress.Parse(Vault), EthAddress.Parse(Router), new ChainToken(QuoteToken.Symbol, EthAddress.Parse(QuoteToken.Address), QuoteToken.Decimals),
        [.. Assets.Select(a => new ChainAsset(new ChainToken(a.Symbol, EthAddress.Parse(a.Address), a.Decimals),
            EthAddress.Parse(a.Pool ?? throw new FormatException($"chain.json: asset {a.Symbol} has no pool."))))]);

    /// <summary>
    /// The feeds the vault checks, as <see cref="OracleGate"/> inputs (the quote token first), with the answer range
    /// <c>chain up</c> gives the vault (<see cref="PriceFeeds.LocalSettings"/>); null when the chain has no feeds.
    /// </summary>
    /// <exception cref="FormatException">An address is malformed.</exception>
    public (OracleAsset Quote, IReadOnlyList<OracleAsset> Assets)? ToOracle()
    {
        if (QuoteToken.Feed is null || Assets.Any(a => a.Feed is null || a.Pool is null || a.Price is null))
        {
            return null;
        }

        static OracleAsset Of(ManifestToken t, decimal price) => new(
            t.Symbol, EthAddress.Parse(t.Address), t.Decimals, EthAddress.Parse(t.Feed!), t.Pool is null ? EthAddress.Zero : EthAddress.Parse(t.Pool),
            PriceFeeds.FromAnswer(PriceFeeds.LocalSettings(EthAddress.Zero, EthAddress.Zero, price).MinAnswer),
            PriceFeeds.FromAnswer(PriceFeeds.LocalSettings(EthAddress.Zero, EthAddress.Zero, price).MaxAnswer));
        return (Of(QuoteToken, 1m), [.. Assets.Select(a => Of(a, a.Price!.Value))]);
    }

    /// <summary>Reads chain.json.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a chain manifest.</exception>
    public static LocalChainManifest Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Chain file '{path}' does not exist; run `predictive chain up` first.", path);
        }

        try
        {
            return JsonSerializer.Deserialize<LocalChainManifest>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"Chain file '{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Chain file '{path}' is not a chain manifest: {e.Message}", e);
        }
    }

    /// <summary>Writes chain.json.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }
}
