using Bunit;
using Microsoft.AspNetCore.Components;

namespace Veeky.Tests.Infrastructure;

/// <summary>Renders a Razor component with bunit, from parameters by name (as a page would pass them).</summary>
public static class WebComponentRenderer
{
    /// <summary>The rendered component, for tests that query its DOM (<c>Find</c>, <c>FindAll</c>).</summary>
    public static IRenderedComponent<TComponent> Render<TComponent>(BunitContext context, IDictionary<string, object?> parameters)
        where TComponent : IComponent =>
        context.Render<TComponent>(builder =>
        {
            builder.OpenComponent<TComponent>(0);
            foreach (var (name, value) in parameters)
            {
                builder.AddAttribute(1, name, value);
            }
            builder.CloseComponent();
        });

    /// <summary>The component's markup, for tests that read the HTML a browser would get.</summary>
    public static async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        await using var context = new BunitContext();
        return Render<TComponent>(context, parameters).Markup;
    }
}
