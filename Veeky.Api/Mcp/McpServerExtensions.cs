using Veeky.AI;
using Veeky.Api.Mcp;

namespace Microsoft.Extensions.Hosting;

/// <summary>Veeky as a Model Context Protocol server at <c>/mcp</c> (Streamable HTTP), for AI assistants.</summary>
public static class McpServerExtensions
{
    public const string Path = "/mcp";

    /// <summary>The MCP server and its tools; <c>ask</c> only when a chat model is configured. Call after AddVeekyCore.</summary>
    public static IHostApplicationBuilder AddVeekyMcp(this IHostApplicationBuilder builder)
    {
        var mcp = builder.Services.AddMcpServer()
            // Stateless: every request stands alone, so it runs as that request's caller and any replica can serve it.
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools<LibraryTools>();
        var capabilities = builder.Services.FirstOrDefault(s => s.ServiceType == typeof(AICapabilities))?.ImplementationInstance as AICapabilities;
        if (capabilities?.HasChat == true)
        {
            mcp.WithTools<AskTool>();
        }
        return builder;
    }

    /// <summary>Maps <c>/mcp</c> behind the API's default policy: a bearer token or an API key of a known user, else 401.</summary>
    public static IEndpointConventionBuilder MapVeekyMcp(this IEndpointRouteBuilder routes) =>
        routes.MapMcp(Path).RequireAuthorization().WithTags("MCP");
}
