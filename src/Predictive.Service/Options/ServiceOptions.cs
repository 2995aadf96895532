using System.ComponentModel.DataAnnotations;

namespace Predictive.Service.Options;

/// <summary>The service's settings, bound from the <c>Predictive</c> configuration section and validated on start.</summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Predictive";

    /// <summary>
    /// The models directory (<c>&lt;name&gt;/&lt;version&gt;/model.onnx + model.json</c>). A relative path is looked up
    /// from the content root and the application directory upwards, so <c>models</c> finds the repository's folder.
    /// </summary>
    /// <value>The default value is <c>models</c>.</value>
    [Required]
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>The default model (<c>name/version</c>); when unset, the newest version of <c>default</c>, else the first model.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>The address Kestrel listens on when no URLs are configured.</summary>
    /// <value>The default value is the loopback address 127.0.0.1.</value>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The port Kestrel listens on when no URLs are configured.</summary>
    /// <value>The default value is 5080.</value>
    [Range(1, 65535)]
    public int Port { get; set; } = 5080;

    /// <summary>The most portfolios one request may carry.</summary>
    /// <value>The default value is 1000.</value>
    [Range(1, 100_000)]
    public int MaxPortfolios { get; set; } = 1000;

    /// <summary>The most assets one portfolio may hold.</summary>
    /// <value>The default value is 1000.</value>
    [Range(1, 100_000)]
    public int MaxAssets { get; set; } = 1000;

    /// <summary>The most bars a price-based portfolio may send.</summary>
    /// <value>The default value is 5000.</value>
    [Range(1, 1_000_000)]
    public int MaxPriceBars { get; set; } = 5000;

    /// <summary>The largest request body, in bytes; a larger one gets 413.</summary>
    /// <value>The default value is 8 MiB.</value>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 8L << 20;

    /// <summary>
    /// The key admin endpoints require (<c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>); at least 16
    /// characters. When unset, admin endpoints are disabled and answer 403.
    /// </summary>
    [MinLength(16)]
    public string? AdminApiKey { get; set; }

    /// <summary>Governed mode (<c>Predictive:Governance</c>); null (the default) serves whatever passes the local checks.</summary>
    public GovernanceOptions? Governance { get; set; }
}

/// <summary>
/// Where the on-chain model registry is. When set, only model files whose SHA-256 the registry approves (and has not
/// revoked) at a block <see cref="Confirmations"/> deep load, the default follows the registry's activate, and the
/// admin activation endpoint is off.
/// </summary>
public sealed class GovernanceOptions
{
    /// <summary>The node's JSON-RPC URL.</summary>
    [Required]
    public Uri? RpcUrl { get; set; }

    /// <summary>The chain id the node must report (a node on another chain is treated as unreachable).</summary>
    [Range(1, long.MaxValue)]
    public long ChainId { get; set; }

    /// <summary>The ModelRegistry contract.</summary>
    [Required]
    [RegularExpression("^0x[0-9a-fA-F]{40}$")]
    public string? Registry { get; set; }

    /// <summary>Blocks below the latest the registry is read at (a decision counts once it is this deep).</summary>
    [Range(0, 10_000)]
    public int Confirmations { get; set; } = 2;

    /// <summary>How often the registry is polled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
