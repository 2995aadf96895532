using System.Globalization;
using System.Text;
using Predictive.Service.Dashboard.Jobs;
using Predictive.Service.Dashboard.Pages;

namespace Predictive.Service.Dashboard.Sections;

/// <summary>
/// Jobs: what the operator's schedule fires next, what runs now and where, which node ran what, and the latest runs
/// (job, node, times, outcome, message), from the same reader as <c>GET /v1/jobs</c>.
/// </summary>
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

        html.Append("<h2>Scheduled next</h2>");
        if (jobs.Scheduled.Count == 0)
        {
            html.Append("<p id=\"no-schedule\">No schedule: Quartz's tables are not in this database yet (the operator creates them when it first starts).</p>");
        }
        else
        {
            html.Append("<p>Quartz's triggers at <span id=\"schedule-at\">").Append(Html.E(jobs.EvaluatedAt.ToString("O", CultureInfo.InvariantCulture))).Append("</span>, soonest first; a trigger overdue past the misfire threshold, or in ERROR, is marked misfired.</p>");
            Html.Table(html, "schedule", [("Job", false), ("Trigger", false), ("Type", false), ("Next fire (UTC)", false), ("Previous fire (UTC)", false), ("State", false), ("Misfired", false)], jobs.Scheduled.Select(t =>
                $"<tr data-trigger=\"{Html.E(t.Trigger)}\"{(t.Overdue ? " class=\"outcome-failed\"" : "")}>{Html.Cell(t.Job)}{Html.Cell(t.Trigger)}{Html.Cell(t.Type)}"
                + Html.Cell(Time(t.NextFire) ?? "never again") + Html.Cell(Time(t.PreviousFire) ?? "") + Html.Cell(t.State) + Html.Cell(t.Overdue ? "misfired" : "") + "</tr>"));
        }

        html.Append("<h2>Running now</h2>");
        if (jobs.Running.Count == 0)
        {
            html.Append("<p id=\"none-running\">No job is executing.</p>");
        }
        else
        {
            Html.Table(html, "running", [("Node", false), ("Job", false), ("Trigger", false), ("Fired (UTC)", false)], jobs.Running.Select(r =>
                $"<tr>{Html.Cell(r.Node)}{Html.Cell(r.Job)}{Html.Cell(r.Trigger)}{Html.Cell(Time(r.Fired))}</tr>"));
        }

        html.Append("<h2>Nodes</h2><p>Which node ran what, among the runs below.</p>");
        Html.Table(html, "nodes", [("Node", false), ("Runs", true), ("Succeeded", true), ("Failed", true), ("Latest start (UTC)", false), ("Jobs", false)], jobs.Nodes.Select(n =>
            $"<tr data-node=\"{Html.E(n.Node)}\">{Html.Cell(n.Node)}<td class=\"num\" data-value=\"{n.Runs}\">{n.Runs}</td><td class=\"num\" data-value=\"{n.Succeeded}\">{n.Succeeded}</td>"
            + $"<td class=\"num\" data-value=\"{n.Failed}\">{n.Failed}</td>{Html.Cell(Time(n.LastStarted))}{Html.Cell(string.Join(", ", n.Jobs))}</tr>"));

        html.Append("<h2>Runs</h2><p>The latest ").Append(jobs.Runs.Count).Append(" run(s), newest first.</p><div class=\"scroll\">");
        Html.Table(html, "runs", [("Id", true), ("Job", false), ("Node", false), ("Trigger", false), ("Started", false), ("Seconds", true), ("Outcome", false), ("Message or error", false)], jobs.Runs.Select(r =>
            $"<tr data-run=\"{r.Id}\" class=\"outcome-{Html.E(r.Outcome.ToLowerInvariant())}\"><td class=\"num\" data-value=\"{r.Id}\">{r.Id}</td>{Html.Cell(r.Job)}{Html.Cell(r.Node)}{Html.Cell(r.Trigger + (r.Recovering ? " (recovery)" : ""))}"
            + Html.Cell(Time(r.Started))
            + Html.NumberCell(r.Ended is { } end ? (end - r.Started).TotalSeconds : null, "seconds")
            + Html.Cell(r.Outcome) + Html.Cell(r.Error ?? r.Message) + "</tr>"));
        return new SectionPage("Jobs", html.Append("</div>").ToString());
    }

    private static string? Time(DateTimeOffset? time) => time?.ToString("u", CultureInfo.InvariantCulture);
}
