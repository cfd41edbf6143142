using Veeky.Configs;

namespace Veeky.Tests.Configs;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Rendering_fills_each_placeholder_and_empties_those_without_a_value()
    {
        var rendered = PromptTemplate.Render("{{title}} / {{ transcript }} / {{ocr}} / {{title}}",
            new Dictionary<string, string?> { ["title"] = "Demo", ["transcript"] = "hello {{ocr}}" });

        // A value that itself looks like a placeholder is inserted as text, not expanded again.
        Assert.Equal("Demo / hello {{ocr}} /  / Demo", rendered);
    }

    [Fact]
    public void Placeholders_are_listed_once_in_order()
    {
        Assert.Equal(["moments", "question"], PromptTemplate.Placeholders("{{moments}} {{question}} {{moments}} {single} {{ }}"));
    }

    [Fact]
    public void Every_default_prompt_uses_only_its_allowed_placeholders_and_every_purpose_has_a_setting()
    {
        Assert.All(ConfigDefaults.Prompts(), p => Assert.Empty(PromptTemplate.UnknownPlaceholders(p.Name, p.Template)));
        Assert.Equal(LlmPurposes.All, ConfigDefaults.LlmSettings().Select(s => s.Purpose));
    }
}
