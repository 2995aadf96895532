using System.Globalization;
using BenchmarkDotNet.Running;
using Predictive.Benchmarks.Service;

switch (args.FirstOrDefault())
{
    case "cpu-parse":
        CpuTime.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30, args.Length > 2 ? args[2] : null);
        return 0;
    case "ort-threads":
        OrtThreadsComparison.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10);
        return 0;
    case "open-loop":
        return OpenLoopClient.Run(args[1..]);
    case "policy-ratios":
        Predictive.Benchmarks.Backtesting.PolicyRatios.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 31, args.Length > 2 ? args[2] : null);
        return 0;
    default:
        // The service's Program is visible here too (the service is referenced), so the assembly is named by a local type.
        BenchmarkSwitcher.FromAssembly(typeof(TargetsBodyBenchmarks).Assembly).Run(args);
        return 0;
}
