using Microsoft.Extensions.Configuration;
using Veeky.AI;

namespace Veeky.Tests.AI;

/// <summary>Connection strings in the form Aspire's Ollama integration injects.</summary>
public sealed class ModelConnectionTests
{
    [Fact]
    public void Endpoint_and_model_are_read_from_an_aspire_connection_string()
    {
        var connection = ModelConnection.Parse("Endpoint=http://ollama:11434;Model=llama3.2:3b");

        Assert.Equal(new Uri("http://ollama:11434"), connection.Endpoint);
        Assert.Equal("llama3.2:3b", connection.Model);
    }

    [Fact]
    public void A_bare_url_is_an_endpoint_without_a_model()
    {
        var connection = ModelConnection.Parse("http://localhost:8000");

        Assert.Equal(new Uri("http://localhost:8000"), connection.Endpoint);
        Assert.Null(connection.Model);
    }

    [Fact]
    public void A_connection_string_without_an_endpoint_is_refused_with_a_sentence()
    {
        var error = Assert.Throws<FormatException>(() => ModelConnection.Parse("Model=llama3.2"));

        Assert.Contains("Endpoint=", error.Message);
    }

    [Fact]
    public void Unset_connection_strings_read_as_absent()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ollama-chat"] = "Endpoint=http://localhost:11434;Model=llama3.2",
            ["ConnectionStrings:whisper"] = "",
        }).Build();

        Assert.Equal("llama3.2", ModelConnection.FromConfiguration(configuration, "ollama-chat")?.Model);
        Assert.Null(ModelConnection.FromConfiguration(configuration, "whisper"));
        Assert.Null(ModelConnection.FromConfiguration(configuration, "ollama-embed"));
    }

    [Theory]
    [InlineData("http://host:7997", "http://host:7997/v1/embeddings")]
    [InlineData("http://host:7997/", "http://host:7997/v1/embeddings")]
    [InlineData("http://host:7997/v1", "http://host:7997/v1/embeddings")]
    [InlineData("http://host/infinity/", "http://host/infinity/v1/embeddings")]
    public void OpenAI_routes_are_joined_without_doubling_v1(string endpoint, string expected)
    {
        Assert.Equal(new Uri(expected), new ModelConnection(new Uri(endpoint), null).ResolveOpenAI("embeddings"));
    }
}
