using System.Globalization;
using System.Text;
using Predictive.Keeper.Store;
using Predictive.Service.Dashboard.Pages;
using Predictive.Service.Dashboard.Vaults;

namespace Predictive.Service.Dashboard.Sections;

/// <summary>
/// Vaults: every vault in the keepers' decision logs (paused or not, oracle freshness, refusals in a row, the latest
/// pass, leases), and each vault's page: target against actual weights over time with the drift, the latest decisions
/// with their reasons and every guard's result, and the recent trades with gas and cost. Same reader as <c>GET /v1/vaults</c>.
/// </summary>
internal sealed class VaultsSection(VaultsSource source) : IDashboardSection
{
    public string Slug => "vaults";

    public string Title => "Vaults";

    public int Order => 20;

    public async Task<SectionPage?> RenderAsync(string? item, CancellationToken cancellationToken)
    {
        if (!source.Configured)
        {
            return item is null ? new SectionPage("Vaults", Html.NoDataSource("the keepers' decision logs, read from the keeper store named by Predictive:Dashboard:KeeperStore or from the operator's database")) : null;
        }

        var vaults = await source.ReadAsync(cancellationToken);
        if (item is null)
        {
            return new SectionPage("Vaults", Index(vaults));
        }

        var matching = vaults.Vaults.Where(v => string.Equals(v.VaultAddress, item, StringComparison.OrdinalIgnoreCase)).ToList();
        return matching.Count == 0 ? null : new SectionPage($"Vault {matching[0].Vault}", string.Concat(matching.Select(Detail)));
    }

    private static string Index(VaultsResponse vaults)
    {
        var html = new StringBuilder("<p>From the keepers' decision logs, read at <span id=\"read-at\">").Append(Time(vaults.EvaluatedAt)).Append("</span>.</p>");
        foreach (var s in vaults.Sources.Where(s => s.Error is not null))
        {
            html.Append("<p class=\"error\" data-source=\"").Append(Html.E(s.Name)).Append("\">").Append(Html.E(s.Error)).Append("</p>");
        }

        if (vaults.Vaults.Count == 0)
        {
            html.Append("<p id=\"no-vaults\">No keeper pass is recorded yet.</p>");
        }
        else
        {
            Html.Table(html, "vaults", [("Vault", false), ("Address", false), ("Passes", true), ("Last pass (UTC)", false), ("Outcome", false), ("Reason", false), ("Paused", false), ("Oracle", false), ("Refused in a row", true), ("Drift (max)", true)], vaults.Vaults.Select(v =>
                $"<tr data-vault=\"{Html.E(v.VaultAddress)}\"><td><a href=\"/vaults/{Html.E(v.VaultAddress)}\">{Html.E(v.Vault)}</a></td><td class=\"sha\">{Html.E(v.VaultAddress)}</td>"
                + $"<td class=\"num\" data-value=\"{v.Passes}\">{v.Passes}</td>{Html.Cell(Time(v.Last.Time))}<td class=\"outcome-{Html.E(v.Last.Outcome)}\">{Html.E(v.Last.Outcome)}</td>{Html.Cell(v.Last.Reason)}"
                + Html.Cell(Paused(v.Paused)) + Html.Cell(v.Oracle.Status) + $"<td class=\"num\" data-value=\"{v.Refusals.Count}\">{v.Refusals.Count}</td>"
                + Html.NumberCell(v.Weights.Count == 0 ? null : v.Weights[^1].DriftMax, "drift") + "</tr>"));
        }

        var leases = vaults.Sources.SelectMany(s => s.Leases.Select(l => (s.Name, Lease: l))).ToList();
        html.Append("<h2>Leases</h2>");
        if (leases.Count == 0)
        {
            html.Append("<p id=\"no-leases\">No keeper holds a vault lease.</p>");
        }
        else
        {
            html.Append("<p>One keeper drives a vault under its lease, renewed while it runs and released when it stops; a lease still held past its expiry means its keeper is stuck in a pass or died.</p>");
            Html.Table(html, "leases", [("Vault", false), ("Owner", false), ("Expires (UTC)", false), ("Overdue (s)", true), ("Store", false)], leases.Select(l =>
                $"<tr data-lease=\"{Html.E(l.Lease.Vault)}\"{(l.Lease.OverdueSeconds > 0 ? " class=\"outcome-failed\"" : "")}>{Html.Cell(l.Lease.Vault)}{Html.Cell(l.Lease.Owner)}{Html.Cell(Time(l.Lease.ExpiresAt))}"
                + Html.NumberCell(l.Lease.OverdueSeconds, "overdue") + $"<td class=\"sha\">{Html.E(l.Name)}</td></tr>"));
        }

        return html.ToString();
    }

    private static string Detail(VaultState v)
    {
        var html = new StringBuilder("<section class=\"vault\" data-vault=\"").Append(Html.E(v.VaultAddress)).Append("\">");
        html.Append("<dl id=\"state\"><dt>Address</dt><dd class=\"sha\">").Append(Html.E(v.VaultAddress)).Append("</dd>")
            .Append("<dt>Decision log</dt><dd class=\"sha\">").Append(Html.E(v.Source)).Append("</dd>")
            .Append("<dt>Paused</dt><dd id=\"paused\" data-paused=\"").Append(v.Paused is { } p ? (p ? "true" : "false") : "").Append("\">").Append(Paused(v.Paused)).Append("</dd>")
            .Append("<dt>Oracle</dt><dd id=\"oracle\" data-status=\"").Append(Html.E(v.Oracle.Status)).Append("\">").Append(Html.E(OracleText(v.Oracle))).Append("</dd>")
            .Append("<dt>Refused in a row</dt><dd id=\"refusals\" data-count=\"").Append(v.Refusals.Count).Append("\">")
            .Append(Html.E(v.Refusals.Reason is null ? "0 (the latest pass was not refused)" : $"{v.Refusals.Count} pass(es) refused for {v.Refusals.Reason} since {Time(v.Refusals.Since!.Value)}")).Append("</dd>")
            .Append("<dt>Latest pass</dt><dd id=\"last-pass\">").Append(Html.E($"{Time(v.Last.Time)}: {v.Last.Outcome} ({v.Last.Reason}) {v.Last.Explanation}")).Append("</dd></dl>");

        html.Append("<h2>Target against actual weights</h2>");
        if (v.Weights.Count == 0)
        {
            html.Append("<p id=\"no-weights\">No pass recorded both targets and weights yet.</p>");
        }
        else
        {
            html.Append("<figure data-chart=\"weights\">").Append(WeightsChart.Svg(v.Weights)).Append("<figcaption>Actual weights before each pass, at oracle prices, against the targets the service gave; drift is max |actual − target| over the symbols.</figcaption></figure>");
            var symbols = v.Weights.SelectMany(w => w.Targets.Keys.Concat(w.Actual.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            html.Append("<div class=\"scroll\">");
            Html.Table(html, "weights", [("Pass (UTC)", false), ("Block", true), ("Drift (max)", true), ("Drift (L1)", true), .. symbols.SelectMany(s => new[] { ($"{s} target", true), ($"{s} actual", true) })], Enumerable.Reverse(v.Weights).Select(w =>
                $"<tr>{Html.Cell(Time(w.Time))}{Html.NumberCell(w.Block, "block")}{Html.NumberCell(w.DriftMax, "drift")}{Html.NumberCell(w.DriftL1, "drift-l1")}"
                + string.Concat(symbols.Select(s => Html.NumberCell(w.Targets.TryGetValue(s, out var t) ? t : null, $"target:{s}") + Html.NumberCell(w.Actual.TryGetValue(s, out var a) ? a : null, $"actual:{s}"))) + "</tr>"));
            html.Append("</div>");
        }

        html.Append("<h2>Latest decisions</h2><p>Newest first; each with every check's result (gas gate, oracle gate, the composition's guards).</p><div class=\"scroll\">");
        Html.Table(html, "decisions", [("Pass (UTC)", false), ("Block", true), ("Outcome", false), ("Reason", false), ("Explanation", false), ("Model", false), ("Guards", false), ("Swaps", true), ("Est. cost (quote)", true)], v.Decisions.Select(d =>
            $"<tr data-time=\"{Html.E(d.Time.ToString("O", CultureInfo.InvariantCulture))}\" class=\"outcome-{Html.E(d.Outcome)}\">{Html.Cell(Time(d.Time))}{Html.NumberCell(d.Block, "block")}{Html.Cell(d.Outcome)}{Html.Cell(d.Reason)}{Html.Cell(d.Explanation)}"
            + Html.Cell(d.Model) + "<td><ul class=\"guards\">" + string.Concat(d.Guards.Select(Guard)) + "</ul></td>"
            + $"<td class=\"num\" data-value=\"{d.Swaps.Count}\">{d.Swaps.Count}</td>{Html.NumberCell((double?)d.EstimatedCostQuote, "cost")}</tr>"));
        html.Append("</div>");

        html.Append("<h2>Recent trades</h2>");
        if (v.Trades.Count == 0)
        {
            html.Append("<p id=\"no-trades\">No swap in the passes read.</p>");
        }
        else
        {
            html.Append("<div class=\"scroll\">");
            Html.Table(html, "trades", [("Pass (UTC)", false), ("Sold", false), ("Bought", false), ("Amount in", true), ("Amount out", true), ("Status", false), ("Gas used", true), ("Gas cost (ETH)", true), ("Transaction", false)], v.Trades.Select(t =>
                $"<tr>{Html.Cell(Time(t.Time))}{Html.Cell(t.Swap.AssetIn)}{Html.Cell(t.Swap.AssetOut)}{Html.NumberCell((double)t.Swap.AmountIn, "amount-in")}{Html.NumberCell((double)t.Swap.AmountOut, "amount-out")}"
                + Html.Cell(t.DryRun ? $"{t.Swap.Status} (shadow)" : t.Swap.Status) + Html.NumberCell(t.Swap.GasUsed, "gas") + Html.NumberCell((double?)t.GasCostEth, "gas-cost") + $"<td class=\"sha\">{Html.E(t.Swap.TxHash ?? "")}</td></tr>"));
            html.Append("</div>");
        }

        return html.Append("</section>").ToString();
    }

    private static string Guard(GuardRecord g) =>
        $"<li data-guard=\"{Html.E(g.Guard)}\" data-fired=\"{(g.Fired ? "true" : "false")}\"{(g.Fired ? " class=\"fired\"" : "")}>{Html.E(g.Guard)}: {(g.Fired ? "FIRED" : "passed")} — {Html.E(g.Detail)}</li>";

    private static string Paused(bool? paused) => paused switch { true => "paused", false => "not paused", null => "not recorded" };

    private static string OracleText(OracleState o) => o.Status switch
    {
        "unchecked" => "no pass read the price feeds",
        _ => $"{o.Status} at the pass of {Time(o.CheckedAt!.Value)} (chain time)" + (o.Refusals.Count > 0 ? ": " + string.Join("; ", o.Refusals) : "")
            + (o.Status != "fresh" ? (o.LastFresh is { } f ? $"; last fresh at {Time(f)}" : "; never fresh in the passes read") : ""),
    };

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);
}
