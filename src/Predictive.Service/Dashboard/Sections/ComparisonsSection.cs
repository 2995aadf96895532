using System.Text;
using Predictive.Service.Dashboard.Comparisons;
using Predictive.Service.Dashboard.Pages;

namespace Predictive.Service.Dashboard.Sections;

/// <summary>
/// Comparisons: every configured <c>results.json</c>, and each as a sortable leaderboard with the
/// cost-versus-tracking-error frontier, from the same reader as <c>GET /v1/comparisons</c>.
/// </summary>
internal sealed class ComparisonsSection(ComparisonSource source) : IDashboardSection
{
    public string Slug => "comparisons";

    public string Title => "Comparisons";

    public int Order => 40;

    public Task<SectionPage?> RenderAsync(string? item, CancellationToken cancellationToken)
    {
        if (!source.Configured)
        {
            return Task.FromResult(item is null ? new SectionPage("Comparisons", Html.NoDataSource("the results.json files written by predictive compare, found through Predictive:Dashboard:Comparisons")) : null);
        }

        if (item is null)
        {
            return Task.FromResult<SectionPage?>(new SectionPage("Comparisons", Index(source.List())));
        }

        var found = source.Find(item);
        return Task.FromResult(found switch
        {
            null => null,
            ({ } results, _) => new SectionPage(results.Title, Leaderboard(results)),
            (_, var error) => new SectionPage("Unreadable results", $"<p class=\"error\" id=\"error\">{Html.E(error)}</p>"),
        });
    }

    private static string Index(ComparisonList list)
    {
        if (list.Results.Count == 0)
        {
            return "<p>No results.json was found in the configured locations.</p>";
        }

        var html = new StringBuilder();
        Html.Table(html, "results", [("Title", false), ("Strategies", true), ("Path", false)], list.Results.Select(r => r.Error is null
            ? $"<tr data-id=\"{r.Id}\"><td><a href=\"/comparisons/{r.Id}\">{Html.E(r.Title)}</a></td><td class=\"num\" data-value=\"{r.Strategies}\">{r.Strategies}</td><td class=\"sha\">{Html.E(r.Path)}</td></tr>"
            : $"<tr data-id=\"{r.Id}\"><td class=\"error\">{Html.E(r.Error)}</td><td class=\"num\" data-value=\"\">n/a</td><td class=\"sha\">{Html.E(r.Path)}</td></tr>"));
        return html.ToString();
    }

    private static string Leaderboard(ComparisonResults results)
    {
        var html = new StringBuilder();
        html.Append("<p id=\"description\">").Append(Html.E(results.Description)).Append("</p><p class=\"sha\">").Append(Html.E(results.Path)).Append("</p>");
        html.Append(FrontierChart.Render(results));
        html.Append("<h2>Leaderboard</h2><p>Click a column to sort. Rows marked on the left are on the frontier.</p><div class=\"scroll\">");
        Html.Table(html, "leaderboard", [("Allocator", false), ("Policy", false), ("Frontier", false), .. results.Columns.Select(c => (c, true))], results.Rows.Select(r =>
            $"<tr{(r.OnFrontier ? " class=\"frontier\"" : "")}>{Html.Cell(r.Allocator)}{Html.Cell(r.Policy)}{Html.Cell(r.OnFrontier ? "yes" : "")}"
            + string.Concat(results.Columns.Select(c => Html.NumberCell(r.Values[c], c))) + "</tr>"));
        return html.Append("</div>").ToString();
    }
}
