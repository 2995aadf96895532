namespace Predictive.Service.Api.Parsing;

/// <summary>A request body that does not fit the API's shape; <see cref="Field"/> is the JSON path without <c>$.</c>.</summary>
internal sealed class BodyException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
