using System.Globalization;
using System.Text;
using Predictive.Service.Dashboard.Governance;
using Predictive.Service.Dashboard.Pages;

namespace Predictive.Service.Dashboard.Sections;

/// <summary>The Models page's governance part: the registry's versions and decisions, and the files it does not approve.</summary>
internal static class GovernancePanel
{
    /// <summary>Appends the panel for <paramref name="governance"/> (governed mode only).</summary>
    public static void Append(StringBuilder html, GovernanceResponse governance)
    {
        html.Append("<section id=\"governance\"><h2>Governance (on chain)</h2><p>Registry <span class=\"sha\" id=\"registry\">").Append(Html.E(governance.Registry))
            .Append("</span> on chain ").Append(governance.ChainId?.ToString(CultureInfo.InvariantCulture)).Append(", read at block <strong id=\"registry-block\">")
            .Append(governance.Block?.ToString(CultureInfo.InvariantCulture) ?? "none yet").Append("</strong> (").Append(governance.Confirmations?.ToString(CultureInfo.InvariantCulture))
            .Append(" confirmations). Only files approved here load; the default follows the registry's activate.</p>");
        if (governance.Degraded is { } degraded)
        {
            html.Append("<p class=\"error\" id=\"governance-degraded\">").Append(Html.E(degraded)).Append(" — the last verified set keeps serving.</p>");
        }

        if (governance.HistoryError is { } history)
        {
            html.Append("<p class=\"error\" id=\"history-error\">").Append(Html.E(history)).Append(" — the decisions below stop earlier; the registered versions are current.</p>");
        }

        html.Append("<h3>Registered versions</h3>");
        Html.Table(html, "registry-versions", [("Model", false), ("Version", true), ("Status", false), ("Active", false), ("Approved at block", true), ("ONNX SHA-256", false), ("URI", false)], governance.Versions.Select(v =>
            $"<tr data-version=\"{Html.E(v.ModelId)}/{v.Version}\">{Html.Cell(v.Model ?? v.ModelId)}<td class=\"num\" data-value=\"{v.Version}\">{v.Version}</td>{Html.Cell(v.Status)}{Html.Cell(v.Active ? "yes" : "")}"
            + $"<td class=\"num\" data-value=\"{v.ApprovedAtBlock}\">{v.ApprovedAtBlock}</td><td class=\"sha\">{Html.E(v.OnnxSha256)}</td>{Html.Cell(v.Uri)}</tr>"));

        html.Append("<h3>Decisions: approvals, activations, revocations</h3>");
        Html.Table(html, "registry-decisions", [("Block", true), ("Decision", false), ("Model", false), ("Version", true), ("ONNX SHA-256", false), ("Detail", false), ("Transaction", false)], governance.Decisions.Select(d =>
            $"<tr data-kind=\"{Html.E(d.Kind)}\"><td class=\"num\" data-value=\"{d.Block}\">{d.Block}</td>{Html.Cell(d.Kind)}{Html.Cell(d.Model ?? d.ModelId)}<td class=\"num\" data-value=\"{d.Version}\">{d.Version}</td>"
            + $"<td class=\"sha\">{Html.E(d.OnnxSha256)}</td>{Html.Cell(d.Detail)}<td class=\"sha\">{Html.E(d.TransactionHash)}</td></tr>"));

        html.Append("<h3>Refused: not approved on chain</h3>");
        if (governance.NotApproved.Count == 0)
        {
            html.Append("<p>Every model file on disk is approved.</p>");
        }
        else
        {
            Html.Table(html, "not-approved", [("Model", false), ("Reason", false), ("At", false)], governance.NotApproved.Select(r =>
                $"<tr data-model=\"{Html.E(r.Model)}\">{Html.Cell(r.Model)}{Html.Cell(r.Reason)}{Html.Cell(r.At.ToString("u", CultureInfo.InvariantCulture))}</tr>"));
        }

        html.Append("</section>");
    }
}
