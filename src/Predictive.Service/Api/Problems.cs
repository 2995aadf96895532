namespace Predictive.Service.Api;

/// <summary>ProblemDetails results with the field names the API documents.</summary>
internal static class Problems
{
    /// <summary>A 400 validation problem; <paramref name="errors"/> maps each field (JSON path without <c>$.</c>) to its messages.</summary>
    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: Summary(errors), title: "The request is invalid.");

    /// <summary>A 400 validation problem about one field.</summary>
    public static IResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>A problem with any status.</summary>
    public static IResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    private static string Summary(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.Take(5).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) + (errors.Count > 5 ? $" (+{errors.Count - 5} more)" : string.Empty);
}
