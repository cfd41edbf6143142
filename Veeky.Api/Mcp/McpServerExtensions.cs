using Microsoft.Extensions.AI;
using Veeky.Api.Mcp;

namespace Microsoft.Extensions.Hosting;

/// <summary>Veeky as a Model Context Protocol server at <c>/mcp</c> (Streamable HTTP), for AI assistants.</summary>
public static class McpServerExtensions
{
    public const string Path = "/mcp";

    /// <summary>The MCP server and its tools; <c>ask</c> is listed only while a chat model is registered.</summary>
    public static IHostApplicationBuilder AddVeekyMcp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMcpServer()
            // Stateless: every request stands alone, so it runs as that request's caller and any replica can serve it.
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools<LibraryTools>()
            .WithTools<AskTool>()
            // Decided per request from the same service POST /api/ask uses, so it follows whatever registered the model.
            .WithRequestFilters(filters => filters.AddListToolsFilter(next => async (request, ct) =>
            {
                var result = await next(request, ct);
                if (request.Services?.GetService<IChatClient>() is null)
                {
                    result.Tools = [.. result.Tools.Where(t => t.Name != AskTool.Name)];
                }
                return result;
            }));
        return builder;
    }

    /// <summary>Maps <c>/mcp</c> behind the API's default policy: a bearer token or an API key of a known user, else 401.</summary>
    public static IEndpointConventionBuilder MapVeekyMcp(this IEndpointRouteBuilder routes) =>
        routes.MapMcp(Path).RequireAuthorization().WithTags("MCP");
}
