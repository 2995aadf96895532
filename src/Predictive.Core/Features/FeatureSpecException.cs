namespace Predictive.Core.Features;

/// <summary>A feature spec is malformed or does not fit the data it is used with; the message names the field and the problem.</summary>
public sealed class FeatureSpecException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FeatureSpecException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public FeatureSpecException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
