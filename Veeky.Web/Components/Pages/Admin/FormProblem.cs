using Veeky.Web.Api;

namespace Veeky.Web.Components.Pages.Admin;

/// <summary>
/// An API refusal laid out on a form: each validation message beside the field it names (the <c>errors</c> keys of the
/// problem details), and the rest (a 409's sentence, a field the form does not show) at the top.
/// </summary>
public sealed class FormProblem(ApiProblem problem, params string[] fields)
{
    /// <summary>The messages about one field, empty when it is fine.</summary>
    public IReadOnlyList<string> For(string field) =>
        problem.Errors?.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).SelectMany(e => e.Value).ToList() ?? [];

    /// <summary>What no field shows: the detail, else the messages of fields the form lacks; null when the fields say it all.</summary>
    public string? General
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(problem.Detail))
            {
                return problem.Detail;
            }
            if (problem.Errors is not { Count: > 0 })
            {
                return problem.Message;
            }
            var unshown = problem.Errors.Where(e => !fields.Contains(e.Key, StringComparer.OrdinalIgnoreCase)).SelectMany(e => e.Value).ToList();
            return unshown.Count > 0 ? string.Join(" ", unshown) : null;
        }
    }
}
