namespace Predictive.Service.Dashboard.Pages;

/// <summary>
/// The dashboard's only static files, served from memory: a style sheet, one small script (sortable tables and the
/// admin actions) and an icon. Pages carry no inline script or style, so the content security policy can forbid both.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>The style sheet's path.</summary>
    public const string Style = "/dashboard/app.css";

    /// <summary>The script's path.</summary>
    public const string Script = "/dashboard/app.js";

    /// <summary>The icon's path.</summary>
    public const string Icon = "/dashboard/icon.svg";

    /// <summary>The policy sent with every page: same-origin scripts, styles, images and API calls only.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The style sheet.</summary>
    public const string Css = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
        header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.5rem; background: #1d2330; }
        header a { color: #dfe6f3; text-decoration: none; }
        header a[aria-current=page] { color: #fff; border-bottom: 2px solid #7fb3ff; }
        header .brand { font-weight: 700; color: #fff; }
        header nav { display: flex; gap: 1.2rem; flex: 1; }
        header .mode { color: #9aa6bb; font-size: .85rem; }
        main { padding: 1rem 1.5rem 3rem; max-width: 1400px; }
        h1 { font-size: 1.4rem; margin: .8rem 0; }
        h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; background: #fff; font-size: .88rem; }
        th, td { padding: .3rem .6rem; border-bottom: 1px solid #e3e6eb; text-align: left; }
        th[data-sort] { cursor: pointer; user-select: none; background: #eef1f5; }
        th[aria-sort=ascending]::after { content: " ▲"; }
        th[aria-sort=descending]::after { content: " ▼"; }
        #leaderboard td { white-space: nowrap; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.frontier td:first-child { border-left: 3px solid #d9480f; }
        code, .sha { font-family: ui-monospace, monospace; font-size: .82rem; word-break: break-all; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; background: #fff; padding: .8rem; }
        dt { color: #5a6478; }
        #alerts ul { list-style: none; padding: 0; margin: .6rem 0; }
        #alerts .ok { color: #2b8a3e; margin: .6rem 0; }
        .alert { padding: .5rem .8rem; margin-bottom: .3rem; border-left: 4px solid; background: #fff; }
        .alert.critical { border-color: #c92a2a; }
        .alert.warning { border-color: #e67700; }
        .severity { text-transform: uppercase; font-size: .75rem; color: #5a6478; }
        .empty { background: #fff; padding: 1rem 1.2rem; border: 1px dashed #9aa6bb; }
        .error { color: #c92a2a; }
        figure { background: #fff; margin: 0 0 1rem; padding: .5rem; display: inline-block; }
        figcaption { font-size: .85rem; color: #5a6478; }
        .admin { margin-top: 1.5rem; background: #fff; padding: .8rem; }
        .admin output { display: block; margin-top: .5rem; font-size: .85rem; }
        figure svg { max-width: 100%; height: auto; }
        ul.guards { margin: 0; padding-left: 1rem; font-size: .8rem; }
        ul.guards li.fired, td.outcome-refused, td.outcome-error, tr.outcome-refused td:nth-child(3), tr.outcome-error td:nth-child(3) { color: #c92a2a; }
        td.outcome-trade, tr.outcome-trade td:nth-child(3) { color: #2b8a3e; }
        #decisions td { vertical-align: top; }
        """;

    /// <summary>The script: sorts any <c>table.sortable</c> by a clicked header; runs admin actions through the API.</summary>
    public const string Js = """
        "use strict";
        function sortBy(th) {
          const table = th.closest("table");
          const index = Array.prototype.indexOf.call(th.parentNode.children, th);
          const numeric = th.dataset.sort === "number";
          const ascending = th.getAttribute("aria-sort") !== "ascending";
          for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          const key = row => {
            const cell = row.children[index];
            if (!numeric) return cell.textContent;
            const v = cell.dataset.value === "" ? NaN : Number(cell.dataset.value);
            return Number.isNaN(v) ? null : v;
          };
          const rows = Array.from(table.tBodies[0].rows);
          rows.sort((a, b) => {
            const x = key(a), y = key(b);
            if (x === y) return 0;
            if (x === null) return 1;
            if (y === null) return -1;
            const c = numeric ? x - y : x.localeCompare(y);
            return ascending ? c : -c;
          });
          for (const row of rows) table.tBodies[0].appendChild(row);
        }
        async function adminAction(button) {
          const form = button.closest(".admin");
          const out = form.querySelector("output");
          const key = form.querySelector("input[type=password]").value;
          let url = button.dataset.action;
          const portfolio = form.querySelector("input[name=portfolio]");
          if (portfolio && portfolio.value) url += "?portfolio=" + encodeURIComponent(portfolio.value);
          const response = await fetch(url, { method: "POST", headers: key ? { "X-Api-Key": key } : {} });
          const text = await response.text();
          let detail = text;
          try { const body = JSON.parse(text); detail = body.detail || body.title || text; } catch { }
          out.textContent = response.status + ": " + (response.ok ? "done, reload the page to see it" : detail);
        }
        document.addEventListener("click", e => {
          const th = e.target.closest("th[data-sort]");
          if (th) sortBy(th);
          const button = e.target.closest("button[data-action]");
          if (button) adminAction(button);
        });
        document.addEventListener("keydown", e => {
          const th = e.target.closest && e.target.closest("th[data-sort]");
          if (th && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); sortBy(th); }
        });
        """;

    /// <summary>The icon.</summary>
    public const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d2330"/><path d="M3 12 L7 7 L10 9 L13 4" stroke="#7fb3ff" stroke-width="2" fill="none"/></svg>""";
}
