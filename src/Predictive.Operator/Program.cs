using Microsoft.Extensions.Hosting;
using Predictive.Operator.Hosting;

namespace Predictive.Operator;

/// <summary>The operator's entry point: <c>dotnet run --project src/Predictive.Operator</c>.</summary>
public static class OperatorProgram
{
    /// <summary>Builds and runs the host until SIGTERM or Ctrl+C.</summary>
    public static async Task Main(string[] args)
    {
        using var host = OperatorHost.Build(args);
        await host.RunAsync().ConfigureAwait(false);
    }
}
