namespace Veeky.Configs;

/// <summary>Reads the admin-edited prompts and LLM settings. Each call reads the database, so a job started after
/// an edit uses the new values.</summary>
public interface IConfigStore
{
    /// <summary>The prompt named <paramref name="name"/>, or null when an admin deleted it.</summary>
    Task<Prompt?> GetPromptAsync(string name, CancellationToken ct = default);

    /// <summary>The setting of <paramref name="purpose"/> (one of <see cref="LlmPurposes"/>), or null.</summary>
    Task<LlmSetting?> GetLlmSettingAsync(string purpose, CancellationToken ct = default);

    /// <summary>The value of the key-value setting <paramref name="key"/>, or null.</summary>
    Task<string?> GetValueAsync(string key, CancellationToken ct = default);

    /// <summary>Fills the template's placeholders (see <see cref="PromptTemplate.Render"/>).</summary>
    string Render(string template, IReadOnlyDictionary<string, string?> values);
}
