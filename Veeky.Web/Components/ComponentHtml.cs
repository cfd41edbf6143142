using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Veeky.Web.Components;

/// <summary>
/// Renders a component to an HTML string outside a page, for the fragments the relayed event streams carry (a status
/// badge, the Ask answer's sources): the page's script puts the server's rendering in place instead of building the
/// same markup a second time in JavaScript. One renderer per request, reused for every fragment of its stream.
/// </summary>
public sealed class ComponentHtml(IServiceProvider services, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly HtmlRenderer _renderer = new(services, loggers);

    public Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        _renderer.Dispatcher.InvokeAsync(async () =>
            (await _renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());

    public ValueTask DisposeAsync() => _renderer.DisposeAsync();
}
