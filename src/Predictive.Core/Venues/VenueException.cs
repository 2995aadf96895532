namespace Predictive.Core.Venues;

/// <summary>A venue cannot quote or execute an order; the message names the order or pool and the problem.</summary>
public sealed class VenueException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VenueException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public VenueException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
