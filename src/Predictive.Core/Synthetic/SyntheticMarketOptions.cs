namespace Predictive.Core.Synthetic;

/// <summary>Settings of <see cref="SyntheticMarket"/>. The defaults give eight crypto-like assets over 1,000 daily bars.</summary>
public sealed record SyntheticMarketOptions
{
    /// <summary>Names used for the first assets; further assets are called SYN09, SYN10, ….</summary>
    public static IReadOnlyList<string> DefaultSymbols { get; } = ["BTC", "ETH", "SOL", "BNB", "XRP", "ADA", "DOGE", "AVAX"];

    /// <summary>The random seed; the same seed and options give the same panel. The default value is 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The number of assets. The default value is 8.</summary>
    public int AssetCount { get; init; } = 8;

    /// <summary>Explicit symbols; when set, their count overrides <see cref="AssetCount"/>.</summary>
    public IReadOnlyList<string>? Symbols { get; init; }

    /// <summary>The number of bars. The default value is 1000.</summary>
    public int Bars { get; init; } = 1000;

    /// <summary>The first bar's open time. The default value is 2020-01-01 00:00 UTC.</summary>
    public DateTimeOffset Start { get; init; } = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The bar interval. The default value is one day.</summary>
    public MarketData.BarInterval Interval { get; init; } = MarketData.BarInterval.Daily;

    /// <summary>Degrees of freedom of the Student-t innovations (fat tails); must exceed 2 so variance is finite. The default value is 4.</summary>
    public double DegreesOfFreedom { get; init; } = 4;

    /// <summary>Calm regime parameters.</summary>
    public RegimeParameters Calm { get; init; } = new(Drift: 0.0003, Volatility: 0.025, Correlation: 0.25, VolumeMultiplier: 1.0);

    /// <summary>Trending regime parameters.</summary>
    public RegimeParameters Trending { get; init; } = new(Drift: 0.003, Volatility: 0.035, Correlation: 0.45, VolumeMultiplier: 1.4);

    /// <summary>Crash regime parameters.</summary>
    public RegimeParameters Crash { get; init; } = new(Drift: -0.012, Volatility: 0.08, Correlation: 0.8, VolumeMultiplier: 3.0);

    /// <summary>
    /// Regime transition probabilities: row = current regime, column = next, in the order calm, trending, crash.
    /// Each row sums to 1. The default keeps calm ~50 bars, trending ~30 and crash ~10 on average.
    /// </summary>
    public double[][] Transitions { get; init; } =
    [
        [0.980, 0.015, 0.005],
        [0.025, 0.967, 0.008],
        [0.060, 0.040, 0.900],
    ];

    /// <summary>The initial regime. The default value is <see cref="MarketRegime.Calm"/>.</summary>
    public MarketRegime InitialRegime { get; init; } = MarketRegime.Calm;

    /// <summary>The parameters of a regime.</summary>
    public RegimeParameters For(MarketRegime regime) => regime switch
    {
        MarketRegime.Calm => Calm,
        MarketRegime.Trending => Trending,
        MarketRegime.Crash => Crash,
        _ => throw new ArgumentOutOfRangeException(nameof(regime), regime, "Unknown regime."),
    };

    /// <summary>The symbols the panel will have.</summary>
    public IReadOnlyList<string> ResolveSymbols() => Symbols
        ?? Enumerable.Range(0, AssetCount).Select(i => i < DefaultSymbols.Count ? DefaultSymbols[i] : $"SYN{i + 1:00}").ToArray();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and the allowed range.</exception>
    public void Validate()
    {
        if (Symbols is null && AssetCount < 1)
        {
            throw new ArgumentException($"AssetCount must be at least 1 (was {AssetCount}).", nameof(AssetCount));
        }

        if (Symbols is not null && (Symbols.Count == 0 || Symbols.Any(string.IsNullOrWhiteSpace) || Symbols.Distinct(StringComparer.Ordinal).Count() != Symbols.Count))
        {
            throw new ArgumentException("Symbols must be non-empty, distinct and not blank.", nameof(Symbols));
        }

        if (Bars < 2)
        {
            throw new ArgumentException($"Bars must be at least 2 (was {Bars}).", nameof(Bars));
        }

        if (!(DegreesOfFreedom > 2) || !double.IsFinite(DegreesOfFreedom))
        {
            throw new ArgumentException($"DegreesOfFreedom must be a finite number above 2 (was {DegreesOfFreedom}).", nameof(DegreesOfFreedom));
        }

        foreach (var regime in Enum.GetValues<MarketRegime>())
        {
            var p = For(regime) ?? throw new ArgumentException($"{regime} parameters are missing.", regime.ToString());
            if (!double.IsFinite(p.Drift) || !(p.Volatility > 0 && p.Volatility < 1) || !(p.Correlation >= 0 && p.Correlation < 1)
                || !(p.VolumeMultiplier > 0 && double.IsFinite(p.VolumeMultiplier)))
            {
                throw new ArgumentException($"{regime} parameters are invalid: drift must be finite, volatility in (0, 1), correlation in [0, 1), volume multiplier > 0 (was {p}).", regime.ToString());
            }
        }

        var n = Enum.GetValues<MarketRegime>().Length;
        if (Transitions is null || Transitions.Length != n || Transitions.Any(r => r is null || r.Length != n))
        {
            throw new ArgumentException($"Transitions must be a {n}x{n} matrix (calm, trending, crash).", nameof(Transitions));
        }

        for (var i = 0; i < n; i++)
        {
            if (Transitions[i].Any(p => !(p >= 0 && p <= 1)) || Math.Abs(Transitions[i].Sum() - 1) > 1e-9)
            {
                throw new ArgumentException($"Transitions row {(MarketRegime)i} must hold probabilities in [0, 1] summing to 1 (was {string.Join(", ", Transitions[i])}).", nameof(Transitions));
            }
        }
    }
}
