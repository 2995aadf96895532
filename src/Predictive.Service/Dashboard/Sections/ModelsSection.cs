using System.Globalization;
using System.Text;
using Predictive.Onnx.Registry;
using Predictive.Service.Api;
using Predictive.Service.Dashboard.Governance;
using Predictive.Service.Dashboard.Models;
using Predictive.Service.Dashboard.Pages;

namespace Predictive.Service.Dashboard.Sections;

/// <summary>
/// Models: loaded and refused (with the stage and reason), and each loaded model's card, from the same registry
/// snapshot and the same answers as <c>GET /v1/models</c> and <c>GET /v1/models/{name}/{version}</c>; in governed mode
/// also the on-chain registry's versions and decisions, as <c>GET /v1/governance</c> returns them.
/// </summary>
internal sealed class ModelsSection(ModelRegistry registry, GovernanceView governance) : IDashboardSection
{
    public string Slug => "models";

    public string Title => "Models";

    public int Order => 10;

    public Task<SectionPage?> RenderAsync(string? item, CancellationToken cancellationToken)
    {
        var snapshot = registry.Current;
        if (item is null)
        {
            return Task.FromResult<SectionPage?>(new SectionPage("Models", Index(ModelsEndpoints.Describe(snapshot), governance.Enabled ? governance.Describe() : null)));
        }

        var card = ModelCard.Of(snapshot, item);
        return Task.FromResult(card is null ? null : new SectionPage($"Model {card.Name}/{card.Version}", Card(card)));
    }

    private static string Index(ModelsResponse models, GovernanceResponse? chain)
    {
        var html = new StringBuilder();
        html.Append("<p id=\"summary\">Default: <strong id=\"default-model\">").Append(Html.E(models.Default ?? "none")).Append("</strong> · generation <span id=\"generation\">")
            .Append(models.Generation.ToString(CultureInfo.InvariantCulture)).Append("</span> · ").Append(models.Loaded.Count).Append(" loaded, ").Append(models.Refused.Count).Append(" refused</p>");

        html.Append("<h2>Loaded</h2>");
        Html.Table(html, "loaded", [("Model", false), ("SHA-256", false), ("Features", true), ("Assets", false), ("Default", false), ("Active for", false)], models.Loaded.Select(m =>
            $"<tr data-model=\"{Html.E(m.Name + "/" + m.Version)}\"><td><a href=\"/models/{Html.E(Uri.EscapeDataString(m.Name))}/{Html.E(Uri.EscapeDataString(m.Version))}\">{Html.E(m.Name)}/{Html.E(m.Version)}</a></td>"
            + $"<td class=\"sha\">{Html.E(m.Sha256)}</td><td class=\"num\" data-value=\"{m.Features.Count}\">{m.Features.Count}</td>"
            + Html.Cell(m.Assets is null ? "any" : string.Join(", ", m.Assets)) + Html.Cell(m.IsDefault ? "yes" : "") + Html.Cell(string.Join(", ", m.ActiveFor)) + "</tr>"));

        html.Append("<h2>Refused</h2>");
        if (models.Refused.Count == 0)
        {
            html.Append("<p>No model was refused by the last load.</p>");
        }
        else
        {
            Html.Table(html, "refused", [("Model", false), ("Stage", false), ("Reason", false), ("At", false)], models.Refused.Select(r =>
                $"<tr data-model=\"{Html.E(r.Model)}\">" + Html.Cell(r.Model) + Html.Cell(r.Stage) + Html.Cell(r.Reason) + Html.Cell(r.At.ToString("u", CultureInfo.InvariantCulture)) + "</tr>"));
        }

        if (chain is not null)
        {
            GovernancePanel.Append(html, chain);
        }

        html.Append("<section class=\"admin\"><h2>Admin</h2><p>These buttons call the admin API; the key is sent with that one request and never stored.</p>")
            .Append("<label>Admin key <input type=\"password\" autocomplete=\"off\"></label> ");
        if (chain is not null)
        {
            // Governed: the on-chain registry's activate decides the default, and the API refuses admin-key activation (409).
            html.Append("<button data-action=\"/v1/models/reload\">Reload models</button> <span id=\"activation-governed\">Activation is governed: the registry's activate decides the default.</span><output></output></section>");
            return html.ToString();
        }

        html.Append("<label>Portfolio (optional, for activate) <input name=\"portfolio\"></label> <button data-action=\"/v1/models/reload\">Reload models</button>");
        foreach (var m in models.Loaded)
        {
            html.Append(" <button data-action=\"/v1/models/").Append(Html.E(Uri.EscapeDataString(m.Name))).Append('/').Append(Html.E(Uri.EscapeDataString(m.Version))).Append("/activate\">Activate ")
                .Append(Html.E(m.Name)).Append('/').Append(Html.E(m.Version)).Append("</button>");
        }

        html.Append("<output></output></section>");
        return html.ToString();
    }

    private static string Card(ModelCard card)
    {
        var html = new StringBuilder();
        html.Append("<dl id=\"card\">")
            .Append("<dt>SHA-256</dt><dd class=\"sha\" id=\"sha256\">").Append(Html.E(card.Sha256)).Append("</dd>")
            .Append("<dt>Training range</dt><dd id=\"training-range\">").Append(Html.E(card.TrainingRange ?? "not recorded")).Append("</dd>")
            .Append("<dt>Seed</dt><dd id=\"seed\">").Append(Html.E(card.Seed ?? "not recorded")).Append("</dd>")
            .Append("<dt>Producer</dt><dd id=\"producer\">").Append(Html.E(card.ProducerVersion ?? "not recorded")).Append("</dd>")
            .Append("<dt>Assets</dt><dd>").Append(Html.E(card.Assets is null ? "any" : string.Join(", ", card.Assets))).Append("</dd>")
            .Append("<dt>Default</dt><dd>").Append(card.IsDefault ? "yes" : "no").Append("</dd>")
            .Append("<dt>Active for</dt><dd>").Append(Html.E(card.ActiveFor.Count == 0 ? "no portfolio" : string.Join(", ", card.ActiveFor))).Append("</dd></dl>");

        html.Append("<h2>Validation metrics</h2>");
        Html.Table(html, "metrics", [("Metric", false), ("Value", true)], card.ValidationMetrics.Select(m => $"<tr>{Html.Cell(m.Key)}{Html.NumberCell(m.Value, m.Key)}</tr>"));

        html.Append("<h2>Feature spec (version ").Append(card.FeatureSpecVersion).Append(")</h2>");
        Html.Table(html, "features", [("#", true), ("Name", false), ("Kind", false), ("Window", true), ("Normalization", false)], card.Features.Select((f, i) =>
            $"<tr><td class=\"num\" data-value=\"{i}\">{i}</td>{Html.Cell(f.Name)}{Html.Cell(f.Kind)}<td class=\"num\" data-value=\"{f.Window}\">{f.Window}</td>{Html.Cell(f.Normalization)}</tr>"));
        return html.ToString();
    }
}
