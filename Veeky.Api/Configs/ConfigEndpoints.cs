using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Configs;
using Veeky.Contracts;
using Veeky.Data;

namespace Veeky.Api.Configs;

/// <summary><c>/api/configs</c>: key-value settings, prompt templates and LLM settings, for admins only.
/// <c>PUT</c> creates or replaces; the pipeline reads the rows at each job, so no restart is needed.</summary>
public static class ConfigEndpoints
{
    private const int MaxKeyLength = Limits.ConfigKeyLength;
    private const int MaxPromptNameLength = Limits.PromptNameLength;
    private const int MaxDescriptionLength = Limits.PromptDescriptionLength;
    private const int MaxModelLength = Limits.ModelNameLength;
    private const int MaxEndpointLength = Limits.ModelEndpointLength;
    private const double MaxTemperature = 2;
    private const int MaxTokensLimit = 32768;

    public static RouteGroupBuilder MapConfigEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/configs").WithTags("Configs").RequireAuthorization(ApiPolicies.Admin);

        // Literal segments take precedence over {key}, so "prompts" and "llm-settings" never reach the key routes.
        group.MapGet("/prompts", ListPromptsAsync).WithName("ListPrompts").WithSummary("Every prompt template.");
        group.MapGet("/prompts/{name}", GetPromptAsync).WithName("GetPrompt").WithSummary("One prompt template.");
        group.MapPut("/prompts/{name}", PutPromptAsync).WithName("PutPrompt").WithSummary("Creates or replaces a prompt template.");
        group.MapDelete("/prompts/{name}", DeletePromptAsync).WithName("DeletePrompt").WithSummary("Deletes a prompt template.");

        group.MapGet("/llm-settings", ListLlmSettingsAsync).WithName("ListLlmSettings").WithSummary("The model of every purpose.");
        group.MapGet("/llm-settings/{purpose}", GetLlmSettingAsync).WithName("GetLlmSetting").WithSummary("The model of one purpose.");
        group.MapPut("/llm-settings/{purpose}", PutLlmSettingAsync).WithName("PutLlmSetting").WithSummary("Creates or replaces the model of a purpose.");
        group.MapDelete("/llm-settings/{purpose}", DeleteLlmSettingAsync).WithName("DeleteLlmSetting").WithSummary("Deletes the setting of a purpose.");

        group.MapGet("/", ListConfigsAsync).WithName("ListConfigs").WithSummary("Every key-value setting.");
        group.MapGet("/{key}", GetConfigAsync).WithName("GetConfig").WithSummary("One key-value setting.");
        group.MapPut("/{key}", PutConfigAsync).WithName("PutConfig").WithSummary("Creates or replaces a key-value setting.");
        group.MapDelete("/{key}", DeleteConfigAsync).WithName("DeleteConfig").WithSummary("Deletes a key-value setting.");
        return group;
    }

    public static async Task<Ok<List<ConfigEntry>>> ListConfigsAsync(VeekyDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Configs.AsNoTracking().OrderBy(c => c.Key).Select(c => new ConfigEntry(c.Key, c.Value)).ToListAsync(ct));

    public static async Task<Results<Ok<ConfigEntry>, NotFound>> GetConfigAsync(string key, VeekyDbContext db, CancellationToken ct) =>
        await db.Configs.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, ct) is { } config
            ? TypedResults.Ok(new ConfigEntry(config.Key, config.Value))
            : TypedResults.NotFound();

    public static async Task<Results<Ok<ConfigEntry>, Created<ConfigEntry>, ValidationProblem>> PutConfigAsync(
        string key, ConfigRequest request, VeekyDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength)
        {
            errors["key"] = [$"The key must have 1 to {MaxKeyLength} characters."];
        }
        if (request.Value is null)
        {
            errors["value"] = ["A value is required (it may be empty)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var config = await db.Configs.FirstOrDefaultAsync(c => c.Key == key, ct);
        var created = config is null;
        if (config is null)
        {
            config = new Config { Key = key, Value = request.Value! };
            db.Configs.Add(config);
        }
        config.Value = request.Value!;
        await db.SaveChangesAsync(ct);
        var response = new ConfigEntry(config.Key, config.Value);
        return created ? TypedResults.Created($"/api/configs/{Uri.EscapeDataString(key)}", response) : TypedResults.Ok(response);
    }

    public static async Task<Results<NoContent, NotFound>> DeleteConfigAsync(string key, VeekyDbContext db, CancellationToken ct) =>
        await db.Configs.Where(c => c.Key == key).ExecuteDeleteAsync(ct) > 0 ? TypedResults.NoContent() : TypedResults.NotFound();

    public static async Task<Ok<List<PromptSummary>>> ListPromptsAsync(VeekyDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Prompts.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new PromptSummary(p.Name, p.Template, p.Description)).ToListAsync(ct));

    public static async Task<Results<Ok<PromptSummary>, NotFound>> GetPromptAsync(string name, VeekyDbContext db, CancellationToken ct) =>
        await db.Prompts.AsNoTracking().FirstOrDefaultAsync(p => p.Name == name, ct) is { } prompt
            ? TypedResults.Ok(PromptSummary.From(prompt))
            : TypedResults.NotFound();

    public static async Task<Results<Ok<PromptSummary>, Created<PromptSummary>, ValidationProblem>> PutPromptAsync(
        string name, PromptRequest request, VeekyDbContext db, CancellationToken ct)
    {
        if (ValidatePrompt(name, request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var prompt = await db.Prompts.FirstOrDefaultAsync(p => p.Name == name, ct);
        var created = prompt is null;
        if (prompt is null)
        {
            prompt = new Prompt { Name = name, Template = request.Template! };
            db.Prompts.Add(prompt);
        }
        prompt.Template = request.Template!;
        prompt.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        await db.SaveChangesAsync(ct);
        var response = PromptSummary.From(prompt);
        return created ? TypedResults.Created($"/api/configs/prompts/{Uri.EscapeDataString(name)}", response) : TypedResults.Ok(response);
    }

    public static async Task<Results<NoContent, NotFound>> DeletePromptAsync(string name, VeekyDbContext db, CancellationToken ct) =>
        await db.Prompts.Where(p => p.Name == name).ExecuteDeleteAsync(ct) > 0 ? TypedResults.NoContent() : TypedResults.NotFound();

    public static async Task<Ok<List<LlmSettingSummary>>> ListLlmSettingsAsync(VeekyDbContext db, CancellationToken ct)
    {
        var settings = await db.LlmSettings.AsNoTracking().ToListAsync(ct);
        // In the order of the pipeline's purposes, which reads better than alphabetical.
        return TypedResults.Ok(settings.OrderBy(s => PurposeOrder(s.Purpose)).Select(LlmSettingSummary.From).ToList());
    }

    public static async Task<Results<Ok<LlmSettingSummary>, NotFound>> GetLlmSettingAsync(string purpose, VeekyDbContext db, CancellationToken ct) =>
        await db.LlmSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Purpose == purpose, ct) is { } setting
            ? TypedResults.Ok(LlmSettingSummary.From(setting))
            : TypedResults.NotFound();

    public static async Task<Results<Ok<LlmSettingSummary>, Created<LlmSettingSummary>, ValidationProblem>> PutLlmSettingAsync(
        string purpose, LlmSettingRequest request, VeekyDbContext db, CancellationToken ct)
    {
        if (ValidateLlmSetting(purpose, request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var setting = await db.LlmSettings.FirstOrDefaultAsync(s => s.Purpose == purpose, ct);
        var created = setting is null;
        if (setting is null)
        {
            setting = new LlmSetting { Purpose = purpose, Model = request.Model!.Trim() };
            db.LlmSettings.Add(setting);
        }
        setting.Model = request.Model!.Trim();
        setting.Temperature = request.Temperature!.Value;
        setting.MaxTokens = request.MaxTokens!.Value;
        setting.Endpoint = string.IsNullOrWhiteSpace(request.Endpoint) ? null : request.Endpoint.Trim();
        setting.Language = string.IsNullOrWhiteSpace(request.Language) ? null : request.Language.Trim().ToLowerInvariant();
        await db.SaveChangesAsync(ct);
        var response = LlmSettingSummary.From(setting);
        return created ? TypedResults.Created($"/api/configs/llm-settings/{purpose}", response) : TypedResults.Ok(response);
    }

    public static async Task<Results<NoContent, NotFound>> DeleteLlmSettingAsync(string purpose, VeekyDbContext db, CancellationToken ct) =>
        await db.LlmSettings.Where(s => s.Purpose == purpose).ExecuteDeleteAsync(ct) > 0 ? TypedResults.NoContent() : TypedResults.NotFound();

    private static Dictionary<string, string[]>? ValidatePrompt(string name, PromptRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxPromptNameLength)
        {
            errors["name"] = [$"The name must have 1 to {MaxPromptNameLength} characters."];
        }
        if (string.IsNullOrWhiteSpace(request.Template))
        {
            errors["template"] = ["A template is required."];
        }
        else if (PromptTemplate.UnknownPlaceholders(name, request.Template) is { Count: > 0 } unknown)
        {
            var allowed = string.Join(", ", PromptNames.AllowedPlaceholders(name).Select(p => $"{{{{{p}}}}}"));
            errors["template"] = [.. unknown.Select(p => $"Unknown placeholder {{{{{p}}}}}; the {name} prompt can use {allowed}.")];
        }
        if (request.Description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"The description must have at most {MaxDescriptionLength} characters."];
        }
        return errors.Count > 0 ? errors : null;
    }

    private static Dictionary<string, string[]>? ValidateLlmSetting(string purpose, LlmSettingRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!LlmPurposes.All.Contains(purpose))
        {
            errors["purpose"] = [$"The purpose must be one of {string.Join(", ", LlmPurposes.All)}."];
        }
        if (string.IsNullOrWhiteSpace(request.Model) || request.Model.Trim().Length > MaxModelLength)
        {
            errors["model"] = [$"The model must have 1 to {MaxModelLength} characters."];
        }
        if (request.Temperature is not (>= 0 and <= MaxTemperature))
        {
            errors["temperature"] = [$"The temperature must be between 0 and {MaxTemperature}."];
        }
        if (request.MaxTokens is not (>= 1 and <= MaxTokensLimit))
        {
            errors["maxTokens"] = [$"The maximum number of tokens must be between 1 and {MaxTokensLimit}."];
        }
        if (!string.IsNullOrWhiteSpace(request.Endpoint)
            && (request.Endpoint.Trim().Length > MaxEndpointLength
                || !Uri.TryCreate(request.Endpoint.Trim(), UriKind.Absolute, out var endpoint)
                || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            errors["endpoint"] = ["The endpoint must be an absolute http or https URL."];
        }
        if (!string.IsNullOrWhiteSpace(request.Language) && !IsLanguageCode(request.Language.Trim()))
        {
            errors["language"] = ["The language must be a two-letter ISO 639-1 code such as en or de, or empty to detect it."];
        }
        return errors.Count > 0 ? errors : null;
    }

    /// <summary>Two ASCII letters: what OpenAI-compatible transcription servers take as <c>language</c>.</summary>
    private static bool IsLanguageCode(string value) => value.Length == 2 && value.All(char.IsAsciiLetter);

    private static int PurposeOrder(string purpose) =>
        LlmPurposes.All.ToList().IndexOf(purpose) is var index and >= 0 ? index : int.MaxValue;
}

/// <summary>How prompts and model settings go on the wire.</summary>
public static class ConfigAnswers
{
    extension(PromptSummary)
    {
        public static PromptSummary From(Prompt prompt) => new(prompt.Name, prompt.Template, prompt.Description);
    }

    extension(LlmSettingSummary)
    {
        public static LlmSettingSummary From(LlmSetting setting) =>
            new(setting.Purpose, setting.Model, setting.Temperature, setting.MaxTokens, setting.Endpoint, setting.Language);
    }
}
