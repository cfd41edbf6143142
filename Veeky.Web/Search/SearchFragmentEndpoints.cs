using Microsoft.AspNetCore.Http.HttpResults;
using Veeky.Web.Api;
using SearchPage = Veeky.Web.Components.Pages.Search;
using Veeky.Web.Components.Shared;
using Veeky.Web.Sessions;

namespace Veeky.Web.Search;

/// <summary><c>GET /search/results</c>: the search page's results alone, server-rendered, for search as you type.</summary>
public static class SearchFragmentEndpoints
{
    public static IEndpointRouteBuilder MapSearchFragmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/search/results", RenderAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<RazorComponentResult<SearchResultsView>> RenderAsync(
        string? q, Guid? categoryId, VeekyApiClient api, CancellationToken ct)
    {
        SearchResults? results = null;
        string? error = null;
        if (!string.IsNullOrWhiteSpace(q))
        {
            try
            {
                results = await api.SearchAsync(q.Trim(), categoryId, SearchPage.PageSize, 0, ct);
            }
            catch (ApiException e)
            {
                error = e.Problem.Message;
            }
            catch (HttpRequestException)
            {
                error = "The Veeky API cannot be reached right now. Try again in a moment.";
            }
        }
        return new RazorComponentResult<SearchResultsView>(new Dictionary<string, object?>
        {
            [nameof(SearchResultsView.Results)] = results,
            [nameof(SearchResultsView.Query)] = q,
            [nameof(SearchResultsView.CategoryId)] = categoryId,
            [nameof(SearchResultsView.PageSize)] = SearchPage.PageSize,
            [nameof(SearchResultsView.Error)] = error,
        });
    }
}
