using System.Globalization;
using BenchmarkDotNet.Running;
using Predictive.Benchmarks.Service;

if (args.Length > 0 && args[0] == "cpu-parse")
{
    CpuTime.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
    return;
}

// The service's Program is visible here too (the service is referenced), so the assembly is named by a local type.
BenchmarkSwitcher.FromAssembly(typeof(TargetsBodyBenchmarks).Assembly).Run(args);
