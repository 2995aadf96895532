using Predictive.Service.Dashboard.Pages;

namespace Predictive.Service.Dashboard.Sections;

/// <summary>
/// A section whose data source does not exist yet or is not configured: the page says so, and shows no invented data.
/// </summary>
/// <param name="Slug">The URL segment.</param>
/// <param name="Title">The navigation title.</param>
/// <param name="Order">The order in the navigation.</param>
/// <param name="Source">The data source the page needs, in words.</param>
internal sealed class UnconfiguredSection(string Slug, string Title, int Order, string Source) : IDashboardSection
{
    string IDashboardSection.Slug => Slug;

    string IDashboardSection.Title => Title;

    int IDashboardSection.Order => Order;

    public Task<SectionPage?> RenderAsync(string? item, CancellationToken cancellationToken) =>
        Task.FromResult(item is null ? new SectionPage(Title, Html.NoDataSource(Source)) : null);
}
