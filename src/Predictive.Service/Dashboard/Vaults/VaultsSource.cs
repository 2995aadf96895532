using System.Data.Common;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Options;
using Predictive.Keeper.Store;
using Predictive.Service.Dashboard.Stores;

namespace Predictive.Service.Dashboard.Vaults;

/// <summary>
/// Reads the keepers' decision logs through the keeper store (<see cref="IKeeperStore"/>: a keeper's own SQLite file, and
/// the operator's database where its keeper jobs log) and turns each vault's passes into what the Vaults page, the
/// keeper alerts and their gauges show. Nothing here asks the chain: all of it is what the keeper recorded.
/// </summary>
internal sealed class VaultsSource(IOptions<DashboardOptions> options, DashboardStores stores, TimeProvider time)
{
    /// <summary>How many passes each vault lists as decisions.</summary>
    public const int DecisionsShown = 20;

    /// <summary>How many swaps each vault lists as trades.</summary>
    public const int TradesShown = 50;

    private VaultsResponse? _last;

    /// <summary>The last answer read, or null before the first read.</summary>
    public VaultsResponse? Last => Volatile.Read(ref _last);

    /// <summary>Whether any keeper store is configured.</summary>
    public bool Configured => stores.KeeperFileConfigured || stores.OperatorConfigured;

    /// <summary>Every vault of every configured store, or each store's reason it cannot be read; kept as <see cref="Last"/>.</summary>
    public async Task<VaultsResponse> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sources = new List<KeeperSource>();
        var vaults = new List<VaultState>();
        foreach (var (name, store, error) in await stores.KeeperStoresAsync(cancellationToken).ConfigureAwait(false))
        {
            if (store is null)
            {
                sources.Add(new KeeperSource(name, 0, error, []));
                continue;
            }

            try
            {
                var records = await store.ReadDecisionsAsync(null, Math.Max(1, options.Value.VaultPasses), cancellationToken).ConfigureAwait(false);
                var leases = store is IKeeperLeaseReader reader ? await reader.ReadLeasesAsync(cancellationToken).ConfigureAwait(false) : [];
                sources.Add(new KeeperSource(name, records.Count, null, [.. leases.Select(l => new LeaseState(l.Vault, l.Owner, l.ExpiresAt, Math.Max(0, (now - l.ExpiresAt).TotalSeconds)))]));
                vaults.AddRange(Vaults(name, records));
            }
            catch (DbException e)
            {
                sources.Add(new KeeperSource(name, 0, $"{name}: {e.Message}", []));
            }
        }

        var answer = new VaultsResponse(Configured, now, sources, vaults);
        Volatile.Write(ref _last, answer);
        return answer;
    }

    /// <summary>Each vault's state from <paramref name="records"/> (oldest first, as the store returns them).</summary>
    public static IEnumerable<VaultState> Vaults(string source, IReadOnlyList<DecisionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var passes in records.GroupBy(r => r.VaultAddress.ToLowerInvariant(), StringComparer.Ordinal).OrderBy(g => g.Last().Vault, StringComparer.Ordinal))
        {
            var list = passes.ToList();
            var last = list[^1];
            var newest = Enumerable.Reverse(list).ToList();
            yield return new VaultState(
                last.Vault, passes.Key, source, list.Count, last,
                newest.Select(r => r.Guards.FirstOrDefault(g => g.Guard == "paused")).FirstOrDefault(g => g is not null)?.Fired,
                Oracle(newest), Streak(newest),
                [.. list.Where(r => r.Targets is not null && r.CurrentWeights is not null).Select(Sample)],
                [.. newest.Take(DecisionsShown)],
                [.. newest.SelectMany(r => Enumerable.Reverse(r.Swaps.Select(s => new TradeRow(r.Time, r.Block, s, GasCost(s), r.DryRun)))).Take(TradesShown)]);
        }
    }

    /// <summary>The drift between <paramref name="actual"/> and <paramref name="targets"/> over every symbol either names (a missing weight is 0).</summary>
    public static (double Max, double L1) Drift(IReadOnlyDictionary<string, double> targets, IReadOnlyDictionary<string, double> actual)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(actual);
        double max = 0, l1 = 0;
        foreach (var symbol in targets.Keys.Union(actual.Keys, StringComparer.Ordinal))
        {
            var d = Math.Abs(actual.GetValueOrDefault(symbol) - targets.GetValueOrDefault(symbol));
            max = Math.Max(max, d);
            l1 += d;
        }

        return (max, l1);
    }

    private static WeightSample Sample(DecisionRecord r)
    {
        var (max, l1) = Drift(r.Targets!, r.CurrentWeights!);
        return new WeightSample(r.Time, r.Block, r.Targets!, r.CurrentWeights!, max, l1);
    }

    // A pass read the feeds when it recorded oracle prices. The composition's `oracle` guard carries the one verdict (every
    // fault in its detail) and the record's reason names the first failed check (`oracle-stale`); records written before
    // that carried one `oracle:<check>` guard per failed check, and are still read.
    private static OracleState Oracle(List<DecisionRecord> newest)
    {
        static bool Checked(DecisionRecord r) => r.OraclePrices is not null;
        static IEnumerable<GuardRecord> Refusals(DecisionRecord r) => r.Guards.Where(g => g.Fired && (g.Guard == "oracle" || g.Guard.StartsWith("oracle:", StringComparison.Ordinal)));
        var latest = newest.FirstOrDefault(Checked);
        if (latest is null)
        {
            return new OracleState("unchecked", null, null, []);
        }

        var fresh = newest.FirstOrDefault(r => Checked(r) && !Refusals(r).Any());
        var refusals = Refusals(latest).ToList();
        var status = refusals.Count == 0 ? "fresh" : latest.Reason == "oracle-stale" || refusals.Any(g => g.Guard == "oracle:stale") ? "stale" : "refused";
        return new OracleState(status, latest.ChainTime ?? latest.Time, fresh is null ? null : fresh.ChainTime ?? fresh.Time, [.. refusals.Select(g => $"{g.Guard}: {g.Detail}")]);
    }

    private static RefusalStreak Streak(List<DecisionRecord> newest)
    {
        var latest = newest[0];
        if (latest.Outcome != "refused")
        {
            return new RefusalStreak(null, 0, null);
        }

        var run = newest.TakeWhile(r => r.Outcome == "refused" && r.Reason == latest.Reason).ToList();
        return new RefusalStreak(latest.Reason, run.Count, run[^1].Time);
    }

    // The log is untrusted input: a price that is not a whole number, or a cost past decimal's range, shows as unknown.
    private static decimal? GasCost(SwapRecord swap) =>
        BigInteger.TryParse(swap.EffectiveGasPriceWei, NumberStyles.None, CultureInfo.InvariantCulture, out var price) && price * swap.GasUsed is var wei && wei >= 0 && wei <= MaxWei
            ? (decimal)wei / 1e18m
            : null;

    private static readonly BigInteger MaxWei = new(decimal.MaxValue);
}
