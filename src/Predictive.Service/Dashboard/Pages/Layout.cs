using System.Text;
using Predictive.Service.Dashboard.Alerts;
using Predictive.Service.Dashboard.Sections;

namespace Predictive.Service.Dashboard.Pages;

/// <summary>The page around every section: navigation, the firing alerts, and the static script and style.</summary>
internal static class Layout
{
    /// <summary>A whole page.</summary>
    public static string Render(string title, IEnumerable<IDashboardSection> sections, string? activeSlug, AlertsResponse alerts, string body)
    {
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Html.E(title)).Append(" · Predictive</title>")
            .Append("<link rel=\"icon\" href=\"").Append(DashboardAssets.Icon).Append("\"><link rel=\"stylesheet\" href=\"").Append(DashboardAssets.Style).Append("\">")
            .Append("<script src=\"").Append(DashboardAssets.Script).Append("\" defer></script></head><body>")
            .Append("<header><a class=\"brand\" href=\"/\">Predictive</a><nav>");
        foreach (var section in sections.OrderBy(s => s.Order))
        {
            html.Append("<a href=\"/").Append(Html.E(section.Slug)).Append('"').Append(section.Slug == activeSlug ? " aria-current=\"page\"" : "").Append('>').Append(Html.E(section.Title)).Append("</a>");
        }

        html.Append("</nav><span class=\"mode\" title=\"Pages only read; actions call the API with the admin key.\">read-only</span></header><main>");
        Alerts(html, alerts);
        html.Append("<h1>").Append(Html.E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return html.ToString();
    }

    private static void Alerts(StringBuilder html, AlertsResponse alerts)
    {
        html.Append("<section id=\"alerts\" data-firing=\"").Append(alerts.Firing.Count).Append("\">");
        if (alerts.Firing.Count == 0)
        {
            html.Append("<p class=\"ok\">No alert firing (evaluated ").Append(Html.E(alerts.EvaluatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture))).Append(").</p>");
        }
        else
        {
            html.Append("<ul>");
            foreach (var alert in alerts.Firing)
            {
                html.Append("<li class=\"alert ").Append(Html.E(alert.Severity)).Append("\" data-alert=\"").Append(Html.E(alert.Name)).Append("\"><strong>")
                    .Append(Html.E(alert.Name)).Append("</strong> <span class=\"severity\">").Append(Html.E(alert.Severity)).Append("</span> ").Append(Html.E(alert.Summary)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</section>");
    }
}
