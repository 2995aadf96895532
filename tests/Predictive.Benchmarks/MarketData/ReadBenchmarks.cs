using BenchmarkDotNet.Attributes;
using Predictive.Core.MarketData;
using Predictive.Tests.Shared;

namespace Predictive.Benchmarks.MarketData;

/// <summary>
/// Reading the real hourly file (81,780 rows, 5.9 MB) from ../shared/data into an aligned panel: parse, validate and
/// assemble in one pass. Rows per second = 81,780 / mean.
/// </summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = SharedData.Find("crypto-hourly.csv");
    }

    [Benchmark]
    public int ReadCryptoHourlyCsv() => MarketDataFile.Read(_path).BarCount;
}

/// <summary>Finds the shared real data beside the repository.</summary>
internal static class SharedData
{
    public static string Find(string file) =>
        RepositoryPaths.SharedData(file) ?? throw new FileNotFoundException($"{file} was not found in ../shared/data beside the repository; the benchmark reads the real data from there.");
}
