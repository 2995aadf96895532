using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Predictive.Service.Dashboard.Pages;

/// <summary>HTML building blocks; every value from a model, a file or a request goes through <see cref="E"/>.</summary>
internal static class Html
{
    /// <summary>HTML-encodes text for element content and quoted attributes.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A number as the page shows it: six significant digits, or <c>n/a</c>.</summary>
    public static string Number(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A number exactly (round-trip), for <c>data-value</c> attributes that scripts sort by and tests compare.</summary>
    public static string Exact(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>The clear state of a page whose data source is missing.</summary>
    public static string NoDataSource(string source) =>
        $"<section class=\"empty\" data-state=\"no-data-source\"><h2>No data source configured</h2><p>This page shows {E(source)}. Nothing is shown until that source exists; see docs/dashboard.md.</p></section>";

    /// <summary>A sortable table: <paramref name="headers"/> (text, whether numeric) and rows already rendered as <c>&lt;tr&gt;</c>.</summary>
    public static void Table(StringBuilder html, string id, IEnumerable<(string Text, bool Numeric)> headers, IEnumerable<string> rows)
    {
        html.Append("<table class=\"sortable\" id=\"").Append(E(id)).Append("\"><thead><tr>");
        foreach (var (text, numeric) in headers)
        {
            html.Append("<th data-sort=\"").Append(numeric ? "number" : "text").Append("\" tabindex=\"0\">").Append(E(text)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append(row);
        }

        html.Append("</tbody></table>");
    }

    /// <summary>A numeric cell: the shown text and the exact value.</summary>
    public static string NumberCell(double? value, string? column = null) =>
        $"<td class=\"num\"{(column is null ? "" : $" data-column=\"{E(column)}\"")} data-value=\"{Exact(value)}\">{Number(value)}</td>";

    /// <summary>A text cell.</summary>
    public static string Cell(string? text) => $"<td>{E(text)}</td>";
}
