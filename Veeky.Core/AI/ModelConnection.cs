using System.Data.Common;
using Microsoft.Extensions.Configuration;

namespace Veeky.AI;

/// <summary>Where a model server is and which model to ask, read from an Aspire-style connection string
/// (<c>Endpoint=http://host:11434;Model=llama3.2</c>).</summary>
public sealed record ModelConnection(Uri Endpoint, string? Model)
{
    /// <summary>Parses <c>Endpoint=…;Model=…</c>; a bare URL is accepted too, as an endpoint without a model.</summary>
    public static ModelConnection Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (Uri.TryCreate(connectionString.Trim(), UriKind.Absolute, out var bare) && bare.Scheme is "http" or "https")
        {
            return new ModelConnection(bare, null);
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!builder.TryGetValue("Endpoint", out var endpointValue) || endpointValue is not string endpointText
            || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            throw new FormatException($"The connection string '{connectionString}' has no valid Endpoint=http://host:port.");
        }
        var model = builder.TryGetValue("Model", out var modelValue) && modelValue is string m && !string.IsNullOrWhiteSpace(m) ? m : null;
        return new ModelConnection(endpoint, model);
    }

    /// <summary>The connection named <paramref name="name"/> under <c>ConnectionStrings</c>, or null when it is not set.</summary>
    public static ModelConnection? FromConfiguration(IConfiguration configuration, string name)
    {
        var value = configuration.GetConnectionString(name);
        return string.IsNullOrWhiteSpace(value) ? null : Parse(value);
    }

    /// <summary>The endpoint URL joined with a path, whether or not the endpoint ends with a slash.</summary>
    public Uri Resolve(string relativePath) =>
        new(new Uri(Endpoint.AbsoluteUri.EndsWith('/') ? Endpoint.AbsoluteUri : Endpoint.AbsoluteUri + "/"), relativePath.TrimStart('/'));

    /// <summary>An OpenAI-compatible route (<c>v1/embeddings</c>); servers given with a <c>/v1</c> base are not doubled.</summary>
    public Uri ResolveOpenAI(string route) =>
        Endpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal) ? Resolve(route) : Resolve("v1/" + route);

    /// <summary>The model to use: the call's own choice, else the connection's, else a sentence saying what is missing.</summary>
    public string RequireModel(string? requested, string connectionName) =>
        requested ?? Model ?? throw new InvalidOperationException(
            $"No model chosen for {Endpoint}: add Model=<name> to ConnectionStrings:{connectionName} or pass a model id with the call.");
}
