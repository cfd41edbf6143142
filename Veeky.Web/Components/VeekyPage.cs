using System.Net;
using Microsoft.AspNetCore.Components;
using Veeky.Web.Api;
using Veeky.Web.Sessions;

namespace Veeky.Web.Components;

/// <summary>
/// Base of the pages that call the API: the signed-in user, the API client, and one way of turning API failures
/// into what a person should see (an expired session goes back to sign-in; anything else becomes a message).
/// </summary>
public abstract class VeekyPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    protected VeekyApiClient Api { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    /// <summary>What went wrong talking to the API, for the page to show; null when all went well.</summary>
    protected string? ApiError { get; private set; }

    protected SessionUser? CurrentUser => SessionUser.From(HttpContext?.User);

    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;

    /// <summary>Runs an API call; on failure sets <see cref="ApiError"/> (or redirects to sign-in) and returns default.</summary>
    protected async Task<T?> CallApiAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return await call(Aborted);
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The API no longer accepts this session's token (user removed, keys rotated): sign in again.
            if (HttpContext is not null)
            {
                await SessionSignIn.SignOutAsync(HttpContext);
            }
            Navigation.NavigateTo("/login?returnUrl=" + Uri.EscapeDataString(Navigation.ToBaseRelativePath(Navigation.Uri).Insert(0, "/")), forceLoad: true);
            return default;
        }
        catch (ApiException e)
        {
            ApiError = e.Problem.Message;
            return default;
        }
        catch (HttpRequestException)
        {
            ApiError = ApiProblem.Unreachable;
            return default;
        }
    }

    /// <summary>As <see cref="CallApiAsync{T}(Func{CancellationToken, Task{T}})"/> for calls without an answer; true on success.</summary>
    protected async Task<bool> CallApiAsync(Func<CancellationToken, Task> call) =>
        await CallApiAsync(async ct =>
        {
            await call(ct);
            return true;
        });
}
