namespace Predictive.Service.Dashboard.Sections;

/// <summary>
/// One page of the dashboard (<c>/{Slug}</c> and <c>/{Slug}/{item}</c>). Registering another implementation in the
/// container adds it to the navigation: this is where the Vaults (keeper decision log), Jobs (operator run history)
/// and governance pages plug in as their data sources land.
/// </summary>
internal interface IDashboardSection
{
    /// <summary>The URL segment, lower case.</summary>
    string Slug { get; }

    /// <summary>The navigation title.</summary>
    string Title { get; }

    /// <summary>The order in the navigation.</summary>
    int Order { get; }

    /// <summary>The page for <paramref name="item"/> (null: the section's index), or null when there is no such item (404).</summary>
    Task<SectionPage?> RenderAsync(string? item, CancellationToken cancellationToken);
}

/// <summary>A rendered section page: its title and the HTML inside the layout.</summary>
/// <param name="Title">The page title.</param>
/// <param name="Body">The body HTML (already encoded).</param>
internal sealed record SectionPage(string Title, string Body);
