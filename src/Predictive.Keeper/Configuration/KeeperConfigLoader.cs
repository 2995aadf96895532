using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Keeper.Market;

namespace Predictive.Keeper.Configuration;

/// <summary>Reads keeper.json and validates every field on start; each error names the field (<c>vaults[0].rpcUrl</c>) and the problem.</summary>
public static class KeeperConfigLoader
{
    /// <summary>anvil's chain id: the only one a dev key may sign for.</summary>
    public const long AnvilChainId = 31337;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and validates <paramref name="path"/>.</summary>
    /// <exception cref="KeeperConfigException">The file is missing, not JSON of this shape, or a field is invalid.</exception>
    public static KeeperSettings Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new KeeperConfigException(full, [$"the file does not exist."]);
        }

        KeeperConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<KeeperConfig>(File.ReadAllText(full), Json);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) ? "(file)" : e.Path.TrimStart('$', '.');
            throw new KeeperConfigException(full, [$"{field}: {FirstSentence(e.Message)}"], e);
        }

        return Validate(config ?? new KeeperConfig(), Path.GetDirectoryName(full)!, full);
    }

    /// <summary>Validates a parsed configuration; relative paths are resolved against <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="KeeperConfigException">A field is invalid.</exception>
    public static KeeperSettings Validate(KeeperConfig config, string baseDirectory, string source)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<string>();
        Uri? service = null;
        if (string.IsNullOrWhiteSpace(config.ServiceUrl))
        {
            errors.Add("serviceUrl: required: the targets service's base URL (e.g. http://127.0.0.1:5000/).");
        }
        else if (!Uri.TryCreate(config.ServiceUrl, UriKind.Absolute, out service) || service.Scheme is not ("http" or "https"))
        {
            errors.Add($"serviceUrl: '{config.ServiceUrl}' is not an absolute http(s) URL.");
        }

        CheckRange(errors, "maxBaseFeeGwei", config.MaxBaseFeeGwei, 0m, 1_000_000m);
        CheckRange(errors, "maxFeePerGasGwei", config.MaxFeePerGasGwei, 0.000001m, 1_000_000m);
        CheckRange(errors, "confirmations", config.Confirmations, 1, 1_000);
        CheckRange(errors, "leaseSeconds", config.LeaseSeconds, 5, 86_400);
        CheckRange(errors, "metricsPort", config.MetricsPort, 0, 65_535);
        var onHeld = config.OnLeaseHeld switch
        {
            "wait" => LeaseHeldAction.Wait,
            "exit" => LeaseHeldAction.Exit,
            _ => Error(errors, $"onLeaseHeld: '{config.OnLeaseHeld}' is not one of wait, exit.", LeaseHeldAction.Wait),
        };
        if (string.IsNullOrWhiteSpace(config.Store))
        {
            errors.Add("store: required: the keeper store's file.");
        }

        var vaults = new List<VaultSettings>();
        if (config.Vaults is not { Count: > 0 })
        {
            errors.Add("vaults: required: at least one vault.");
        }
        else
        {
            for (var i = 0; i < config.Vaults.Count; i++)
            {
                if (Vault(config.Vaults[i], $"vaults[{i}]", baseDirectory, errors, config.Governance) is { } v)
                {
                    vaults.Add(v);
                }
            }

            foreach (var dup in vaults.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                errors.Add($"vaults: the name '{dup.Key}' is used by {dup.Count()} vaults; names must be unique.");
            }
        }

        CheckKey(config.Key, vaults, baseDirectory, errors);
        if (errors.Count > 0)
        {
            throw new KeeperConfigException(source, errors);
        }

        var key = config.Key! with { Keystore = config.Key!.Keystore is null ? null : Path.GetFullPath(config.Key.Keystore, baseDirectory) };
        return new KeeperSettings(
            service!, key, config.MaxBaseFeeGwei, config.MaxFeePerGasGwei, config.Confirmations, Path.GetFullPath(config.Store, baseDirectory),
            TimeSpan.FromSeconds(config.LeaseSeconds), onHeld, vaults, config.MetricsPort);
    }

    private static void CheckKey(KeySourceConfig? key, List<VaultSettings> vaults, string baseDirectory, List<string> errors)
    {
        if (key is null)
        {
            errors.Add("key: required: one of {\"keystore\": file, \"passwordEnv\": VAR}, {\"privateKeyEnv\": VAR} or {\"dev\": true} (chain id 31337 only).");
            return;
        }

        var sources = (key.Keystore is null ? 0 : 1) + (key.PrivateKeyEnv is null ? 0 : 1) + (key.Dev ? 1 : 0);
        if (sources != 1)
        {
            errors.Add($"key: give exactly one of keystore, privateKeyEnv or dev (got {sources}).");
        }

        if (key.Keystore is not null && !File.Exists(Path.GetFullPath(key.Keystore, baseDirectory)))
        {
            errors.Add($"key.keystore: '{key.Keystore}' does not exist.");
        }

        if (key.Keystore is not null && string.IsNullOrWhiteSpace(key.PasswordEnv))
        {
            errors.Add("key.passwordEnv: required with a keystore: the environment variable holding its password.");
        }

        if (key.Dev && vaults.FirstOrDefault(v => v.ChainId != AnvilChainId) is { } remote)
        {
            errors.Add($"key.dev: the dev key signs only on anvil's chain id {AnvilChainId}; vault '{remote.Name}' is on chain id {remote.ChainId}.");
        }
    }

    private static VaultSettings? Vault(VaultConfig v, string at, string baseDirectory, List<string> errors, Governance.GovernanceConfig? governance)
    {
        var before = errors.Count;
        LocalChainManifest? manifest = null;
        if (string.IsNullOrWhiteSpace(v.Chain))
        {
            errors.Add($"{at}.chain: required: the chain.json describing the vault's tokens, pools and feeds.");
        }
        else
        {
            try
            {
                manifest = LocalChainManifest.Load(Path.GetFullPath(v.Chain, baseDirectory));
                _ = manifest.ToMarket();
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
            {
                errors.Add($"{at}.chain: {e.Message}");
                manifest = null;
            }
        }

        EthAddress? vault = null;
        if (string.IsNullOrWhiteSpace(v.Vault))
        {
            errors.Add($"{at}.vault: required: the vault's address.");
        }
        else if (!EthAddress.TryParse(v.Vault, out var parsed))
        {
            errors.Add($"{at}.vault: '{v.Vault}' is not a 20-byte hex address.");
        }
        else
        {
            vault = parsed;
            if (manifest is not null && !string.Equals(manifest.Vault, parsed.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{at}.vault: {parsed} is not the vault of {v.Chain} ({manifest.Vault}).");
            }
        }

        var rpcText = v.RpcUrl ?? manifest?.RpcUrl;
        Uri? rpc = null;
        if (rpcText is null)
        {
            errors.Add($"{at}.rpcUrl: required.");
        }
        else if (!Uri.TryCreate(rpcText, UriKind.Absolute, out rpc) || rpc.Scheme is not ("http" or "https"))
        {
            errors.Add($"{at}.rpcUrl: '{rpcText}' is not an absolute http(s) URL.");
        }

        if (v.ChainId is not > 0)
        {
            errors.Add($"{at}.chainId: required: the chain id the node must report (anvil: {AnvilChainId}).");
        }
        else if (manifest is not null && manifest.ChainId != v.ChainId)
        {
            errors.Add($"{at}.chainId: {v.ChainId} differs from {v.Chain}'s chain id {manifest.ChainId}.");
        }

        if (manifest is not null && manifest.ToOracle() is null)
        {
            errors.Add($"{at}.chain: {v.Chain} names no price feeds; the keeper's guards take their reference prices only from the oracle.");
        }

        var name = v.Name ?? v.Vault ?? string.Empty;
        if (v.Name is not null && (v.Name.Length is 0 or > 64 || v.Name.Any(c => char.IsWhiteSpace(c) || c == ':')))
        {
            errors.Add($"{at}.name: '{v.Name}' must be 1-64 characters without whitespace or ':'.");
        }

        CheckRange(errors, $"{at}.intervalSeconds", v.IntervalSeconds, 1, 7 * 86_400);
        CheckRange(errors, $"{at}.oracle.heartbeatSeconds", v.Oracle.HeartbeatSeconds, 1, 7 * 86_400);
        CheckRange(errors, $"{at}.oracle.windowSeconds", v.Oracle.WindowSeconds, 1, 7 * 86_400);
        var md = v.MarketData;
        string? source = null;
        if (md?.Source is not { Length: > 0 })
        {
            errors.Add($"{at}.marketData.source: required: a market data file that grows, \"exchange\", \"chain\" or \"synthetic\".");
        }
        else
        {
            source = MarketSource(md, at, baseDirectory, errors);
            CheckRange(errors, $"{at}.marketData.bars", md.Bars, 2, 100_000);
        }

        var trigger = Trigger(v, at, errors);

        var pipeline = Pipeline(v, at, errors);
        var governed = Governance.GovernanceValidation.Resolve(governance, v, manifest, at, errors);
        if (errors.Count > before)
        {
            return null;
        }

        var oracle = new OracleGateOptions { Heartbeat = TimeSpan.FromSeconds(v.Oracle.HeartbeatSeconds), Window = TimeSpan.FromSeconds(v.Oracle.WindowSeconds) };
        return new VaultSettings(
            name, manifest!, rpc!, v.ChainId!.Value, vault!, v.Portfolio ?? name, v.Model, pipeline!, oracle, TimeSpan.FromSeconds(v.IntervalSeconds),
            source!, md!.Seed, md.Bars, md, trigger, governed);
    }

    private static string MarketSource(MarketDataConfig md, string at, string baseDirectory, List<string> errors)
    {
        var keyword = new[] { MarketDataSources.Synthetic, MarketDataSources.Exchange, MarketDataSources.Chain }
            .FirstOrDefault(k => string.Equals(md.Source, k, StringComparison.OrdinalIgnoreCase));
        var source = keyword ?? Path.GetFullPath(md.Source!, baseDirectory);
        if (keyword is null && !File.Exists(source))
        {
            errors.Add($"{at}.marketData.source: '{md.Source}' does not exist (give a file, or one of synthetic, exchange, chain).");
        }

        if (keyword == MarketDataSources.Exchange)
        {
            try
            {
                _ = BarInterval.Parse(md.Interval ?? "1h");
            }
            catch (FormatException e)
            {
                errors.Add($"{at}.marketData.interval: {e.Message}");
            }

            if (md.BaseUrl is not null && (!Uri.TryCreate(md.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            {
                errors.Add($"{at}.marketData.baseUrl: '{md.BaseUrl}' is not an absolute http(s) URL.");
            }

            if (string.IsNullOrWhiteSpace(md.QuoteAsset))
            {
                errors.Add($"{at}.marketData.quoteAsset: required with the exchange source (e.g. USDT).");
            }
        }

        if (keyword == MarketDataSources.Chain)
        {
            if (md.BarSeconds is { } bar)
            {
                CheckRange(errors, $"{at}.marketData.barSeconds", bar, 1, 7 * 86_400);
            }

            CheckRange(errors, $"{at}.marketData.finalityBlocks", md.FinalityBlocks, 0, 10_000);
            CheckRange(errors, $"{at}.marketData.maxBlockRange", md.MaxBlockRange, 1, 1_000_000);
        }

        return source;
    }

    private static PassTrigger Trigger(VaultConfig v, string at, List<string> errors)
    {
        CheckRange(errors, $"{at}.blocks", v.Blocks, 1, 1_000_000);
        CheckRange(errors, $"{at}.pollMilliseconds", v.PollMilliseconds, 50, 600_000);
        return v.Trigger switch
        {
            "interval" => PassTrigger.OnInterval,
            "blocks" => new PassTrigger(true, v.Blocks, TimeSpan.FromMilliseconds(v.PollMilliseconds)),
            _ => Error(errors, $"{at}.trigger: '{v.Trigger}' is not one of interval, blocks.", PassTrigger.OnInterval),
        };
    }

    private static RebalancePipelineOptions? Pipeline(VaultConfig v, string at, List<string> errors)
    {
        PolicySpec policy;
        try
        {
            policy = PolicySpec.Parse(v.Policy);
        }
        catch (ArgumentException e)
        {
            errors.Add($"{at}.policy: {e.Message}");
            return null;
        }

        try
        {
            var options = new RebalancePipelineOptions
            {
                Policy = policy,
                Costs = new SwapCostOptions { SlippageBps = v.SlippageBps ?? SlippageBudget.KeeperSlippageBps },
                Planner = new TradePlannerOptions { MaxPriceImpactBps = v.MaxImpactBps ?? SlippageBudget.PlannerMaxPriceImpactBps, MaxSlices = v.MaxSlices },
                Guards =
                [
                    new LiquidityGuard(new LiquidityGuardOptions { MinLiquidityQuote = v.Guards.MinLiquidity }),
                    new PriceDeviationGuard(new PriceDeviationGuardOptions { ToleranceBps = v.Guards.MaxDeviationBps ?? SlippageBudget.DeviationToleranceBps }),
                    new VolatilityCircuitBreaker(new VolatilityCircuitBreakerOptions { MaxAnnualizedVolatility = v.Guards.MaxVolatility, BarsPerYear = BarsPerYear(v.IntervalSeconds) }),
                ],
            };
            options.Validate();
            return options;
        }
        catch (ArgumentException e)
        {
            errors.Add($"{at} (policy, slippageBps, maxImpactBps, maxSlices or guards): {e.Message}");
            return null;
        }
    }

    /// <summary>The live clock's bars per year: one bar per pass, capped at the breaker's largest accepted value (passes under ~3 s apart).</summary>
    private static double BarsPerYear(int intervalSeconds) => Math.Min(1e7, 365.25 * 86_400 / Math.Max(1, intervalSeconds));

    private static void CheckRange<T>(List<string> errors, string field, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is outside [{min}, {max}]."));
        }
    }

    private static T Error<T>(List<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
