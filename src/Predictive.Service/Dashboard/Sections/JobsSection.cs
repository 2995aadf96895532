using System.Globalization;
using System.Text;
using Predictive.Service.Dashboard.Jobs;
using Predictive.Service.Dashboard.Pages;

namespace Predictive.Service.Dashboard.Sections;

/// <summary>Jobs: the operator's latest runs (job, node, times, outcome, message), from the same reader as <c>GET /v1/jobs</c>.</summary>
internal sealed class JobsSection(JobRunsSource source) : IDashboardSection
{
    public string Slug => "jobs";

    public string Title => "Jobs";

    public int Order => 30;

    public async Task<SectionPage?> RenderAsync(string? item, CancellationToken cancellationToken)
    {
        if (item is not null)
        {
            return null;
        }

        if (!source.Configured)
        {
            return new SectionPage("Jobs", Html.NoDataSource("the operator's run history, read from its database named by Predictive:Dashboard:OperatorDatabase"));
        }

        var jobs = await source.ReadAsync(cancellationToken);
        var html = new StringBuilder();
        html.Append("<p class=\"sha\">").Append(Html.E(jobs.Database)).Append("</p>");
        if (jobs.Error is not null)
        {
            return new SectionPage("Jobs", html.Append("<p class=\"error\" id=\"error\">").Append(Html.E(jobs.Error)).Append("</p>").ToString());
        }

        html.Append("<p>The latest ").Append(jobs.Runs.Count).Append(" run(s), newest first. What is scheduled next is not shown yet (docs/dashboard.md).</p><div class=\"scroll\">");
        Html.Table(html, "runs", [("Id", true), ("Job", false), ("Node", false), ("Trigger", false), ("Started", false), ("Seconds", true), ("Outcome", false), ("Message or error", false)], jobs.Runs.Select(r =>
            $"<tr data-run=\"{r.Id}\" class=\"outcome-{Html.E(r.Outcome.ToLowerInvariant())}\"><td class=\"num\" data-value=\"{r.Id}\">{r.Id}</td>{Html.Cell(r.Job)}{Html.Cell(r.Node)}{Html.Cell(r.Trigger + (r.Recovering ? " (recovery)" : ""))}"
            + Html.Cell(r.Started.ToString("u", CultureInfo.InvariantCulture))
            + Html.NumberCell(r.Ended is { } end ? (end - r.Started).TotalSeconds : null, "seconds")
            + Html.Cell(r.Outcome) + Html.Cell(r.Error ?? r.Message) + "</tr>"));
        return new SectionPage("Jobs", html.Append("</div>").ToString());
    }
}
