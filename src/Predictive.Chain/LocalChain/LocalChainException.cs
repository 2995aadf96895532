namespace Predictive.Chain.LocalChain;

/// <summary>The local chain could not be started, set up or stopped; the message says what to do.</summary>
public sealed class LocalChainException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalChainException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public LocalChainException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
