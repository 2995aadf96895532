namespace Predictive.Service.Api.Parsing;

/// <summary>Turns System.Text.Json error messages into the API's: without position, with a hint for NaN literals.</summary>
internal static class JsonMessages
{
    public static string Describe(string message)
    {
        // The reader's and serializer's messages end with the path and position, which the field already carries.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        message = cut > 0 ? message[..cut] : message;
        return message.Contains("invalid", StringComparison.OrdinalIgnoreCase)
            ? $"{message} Numbers must be finite JSON numbers (NaN and Infinity are not JSON)."
            : message;
    }
}
