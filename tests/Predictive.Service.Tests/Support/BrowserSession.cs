using Microsoft.Playwright;

namespace Predictive.Service.Tests.Support;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium) driven by Playwright, headless; every console error, page error and failed
/// request of any page it opens is collected, so a test can require that a page loaded cleanly.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _problems = [];

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Console errors, uncaught exceptions and failed requests so far.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    public static async Task<BrowserSession> StartAsync()
    {
        Assert.IsTrue(File.Exists(Chromium), $"{Chromium} is missing; run eng/bootstrap.sh (apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>Opens <paramref name="url"/> in a new page and waits until the network is idle; fails on an HTTP error.</summary>
    public async Task<IPage> OpenAsync(Uri url, int expectedStatus = 200)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Add($"console error on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add($"page error on {page.Url}: {error}");
        page.RequestFailed += (_, request) => Add($"request failed on {page.Url}: {request.Url} {request.Failure}");
        var response = await page.GotoAsync(url.AbsoluteUri, new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.IsNotNull(response, url.AbsoluteUri);
        Assert.AreEqual(expectedStatus, response.Status, url.AbsoluteUri);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private void Add(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
