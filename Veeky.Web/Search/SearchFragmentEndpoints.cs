using Microsoft.AspNetCore.Http.HttpResults;
using Veeky.Contracts;
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

    /// <summary>Takes the same query values as the page (<see cref="SearchState"/>), so one address serves both.</summary>
    private static async Task<RazorComponentResult<SearchResultsView>> RenderAsync(
        string? q, Guid? categoryId, Guid? videoId, string? from, string? to, int? page, VeekyApiClient api, CancellationToken ct)
    {
        var state = new SearchState(q, categoryId, videoId, from, to, Math.Max(1, page ?? 1));
        SearchResults? results = null;
        string? error = null;
        if (state.HasQuery)
        {
            try
            {
                results = await api.SearchAsync(state.Query!.Trim(), state.Filters, SearchPage.PageSize, (state.Page - 1) * SearchPage.PageSize, ct);
            }
            catch (ApiException e)
            {
                error = e.Problem.Message;
            }
            catch (HttpRequestException)
            {
                error = ApiProblem.Unreachable;
            }
        }
        return new RazorComponentResult<SearchResultsView>(new Dictionary<string, object?>
        {
            [nameof(SearchResultsView.Results)] = results,
            [nameof(SearchResultsView.State)] = state,
            [nameof(SearchResultsView.PageSize)] = SearchPage.PageSize,
            [nameof(SearchResultsView.Error)] = error,
        });
    }
}
