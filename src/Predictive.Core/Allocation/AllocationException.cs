namespace Predictive.Core.Allocation;

/// <summary>An allocator cannot produce weights from the input it was given; the message says what is missing.</summary>
public sealed class AllocationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AllocationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public AllocationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
