using System.Diagnostics;
using System.Globalization;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// <c>dotnet run -c Release --project tests/Predictive.Benchmarks -- cpu-parse [runs] [name]</c>: the body benchmarks
/// timed by process CPU time per run (median), which a shared, loaded machine distorts far less than wall time. A name
/// (or part of one) runs only the matching benchmarks, for a profiler.
/// </summary>
internal static class CpuTime
{
    public static void Run(int runs, string? only = null)
    {
        var bench = new TargetsBodyBenchmarks();
        bench.Setup();
        var body = TargetsBodyBenchmarks.Body(1000, 20, 13, 42);
        Report(only, "ReaderTokensOnly", runs, () =>
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            var n = 0;
            while (reader.Read())
            {
                n++;
            }

            return n;
        });
        Report(only, "ReaderTokensTryGetDouble", runs, () =>
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            var n = 0;
            while (reader.Read())
            {
                if (reader.TokenType == System.Text.Json.JsonTokenType.Number && reader.TryGetDouble(out var d) && d > 0)
                {
                    n++;
                }
            }

            return n;
        });
        Report(only, "DtoDeserialize", runs, () => bench.DtoDeserialize());
        Report(only, "StreamingParseAndValidate", runs, () => bench.StreamingParseAndValidate());
        Report(only, "StreamingParseAndValidateIn16KiBPieces", runs, () => bench.StreamingParseAndValidateIn16KiBPieces());
    }

    private static void Report(string? only, string name, int runs, Func<int> action)
    {
        if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var process = Process.GetCurrentProcess();
        // Warm up for a second (at least 30 runs): tiered compilation promotes hot methods only after 30 calls and a
        // quiet spell, so a few runs would time unoptimized code.
        var warmup = Stopwatch.GetTimestamp();
        for (var i = 0; i < 30 || Stopwatch.GetElapsedTime(warmup).TotalSeconds < 1; i++)
        {
            action();
        }

        var cpu = new double[runs];
        var wall = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            action();
            wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - before).TotalMilliseconds;
        }

        Array.Sort(cpu);
        Array.Sort(wall);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} CPU median {cpu[runs / 2],7:F1} ms (min {cpu[0]:F1})   wall median {wall[runs / 2],7:F1} ms (min {wall[0]:F1})"));
    }
}
