using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Predictive.Service.Dashboard.Vaults;
using Predictive.Service.Telemetry;

namespace Predictive.Service.Dashboard.Alerts;

/// <summary>
/// The keeper's alerts, from its decision log and leases as <see cref="VaultsSource"/> last read them: the gauges the
/// rules in docs/alerts/predictive.rules.yml watch, and the same conditions evaluated for the dashboard.
/// </summary>
internal sealed class KeeperAlerts
{
    private readonly VaultsSource _vaults;
    private readonly int _streak;

    public KeeperAlerts(VaultsSource vaults, IOptions<DashboardOptions> options, IMeterFactory meters)
    {
        _vaults = vaults;
        _streak = options.Value.RefusalStreak;
        var meter = meters.Create(ServiceMetrics.MeterName);
        meter.CreateObservableGauge("predictive.keeper.refusals.consecutive", Refusals, description: "Passes in a row, up to the latest, that the keeper refused for the latest pass's reason (label reason; 'none' with 0 when the latest pass was not refused), per vault.");
        meter.CreateObservableGauge("predictive.keeper.oracle.stale", Stale, description: "1 when the latest pass that read the vault's price feeds found one older than its heartbeat, else 0, per vault.");
        meter.CreateObservableGauge("predictive.keeper.vault.paused", Paused, description: "1 when the latest pass that checked found the vault paused, else 0, per vault.");
        meter.CreateObservableGauge("predictive.keeper.lease.overdue", Overdue, "s", "Seconds a vault lease has been held past its expiry (neither renewed nor released), 0 while valid, per lease.");
    }

    /// <summary>The keeper alerts whose condition holds in <paramref name="vaults"/>.</summary>
    public IEnumerable<Alert> Evaluate(VaultsResponse vaults)
    {
        ArgumentNullException.ThrowIfNull(vaults);
        foreach (var v in vaults.Vaults)
        {
            if (v.Paused == true)
            {
                yield return new Alert(AlertNames.VaultPaused, "warning", $"Vault {v.Vault} ({v.VaultAddress}) is paused: its latest check at {Time(v.Last.Time)} found it paused; no trade until its strategy admin unpauses it.");
            }

            if (v.Oracle.Status == "stale")
            {
                yield return new Alert(AlertNames.OracleStale, "critical", $"Vault {v.Vault}: a price feed was stale at the pass of {Time(v.Oracle.CheckedAt!.Value)} ({string.Join("; ", v.Oracle.Refusals)}); the keeper does not trade on it.");
            }

            if (v.Refusals.Count >= _streak)
            {
                yield return new Alert(AlertNames.VaultRefusing, "warning", string.Create(CultureInfo.InvariantCulture, $"Vault {v.Vault} refused to trade {v.Refusals.Count} passes in a row for {v.Refusals.Reason} (since {Time(v.Refusals.Since!.Value)}; the limit is {_streak}): {v.Last.Explanation}"));
            }
        }

        foreach (var (source, lease) in vaults.Sources.SelectMany(s => s.Leases.Select(l => (s.Name, l))).Where(p => p.l.OverdueSeconds > 0))
        {
            yield return new Alert(AlertNames.LeaseExpired, "critical", string.Create(CultureInfo.InvariantCulture, $"The lease of {lease.Vault} is held by {lease.Owner} {lease.OverdueSeconds:F0} s past its expiry ({Time(lease.ExpiresAt)}) in {source}: that keeper is stuck in a pass longer than the lease or died without releasing it."));
        }
    }

    private IEnumerable<Measurement<int>> Refusals() =>
        _vaults.Last?.Vaults.Select(v => new Measurement<int>(v.Refusals.Count, Labels(v, new KeyValuePair<string, object?>("reason", v.Refusals.Reason ?? "none")))) ?? [];

    private IEnumerable<Measurement<int>> Stale() =>
        _vaults.Last?.Vaults.Where(v => v.Oracle.Status != "unchecked").Select(v => new Measurement<int>(v.Oracle.Status == "stale" ? 1 : 0, Labels(v))) ?? [];

    private IEnumerable<Measurement<int>> Paused() =>
        _vaults.Last?.Vaults.Where(v => v.Paused is not null).Select(v => new Measurement<int>(v.Paused == true ? 1 : 0, Labels(v))) ?? [];

    private IEnumerable<Measurement<double>> Overdue() =>
        _vaults.Last?.Sources.SelectMany(s => s.Leases).Select(l => new Measurement<double>(l.OverdueSeconds, new("lease", l.Vault), new("owner", l.Owner))) ?? [];

    private static KeyValuePair<string, object?>[] Labels(VaultState v, params KeyValuePair<string, object?>[] more) =>
        [new("vault", v.Vault), new("address", v.VaultAddress), .. more];

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);
}
