using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;
using Predictive.Tests.Shared;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// <c>dotnet run -c Release --project tests/Predictive.Benchmarks -- ort-threads [rounds]</c>: the bundled model on
/// 1,000 portfolios × 20 assets with the served session options (one intra-op thread) against two intra-op threads,
/// with and without spinning. Sessions take turns in rounds of 20 calls, so a loaded machine's bad moments hit every
/// setting; the per-round medians show how much the figure moves. Decides whether large batches deserve a second,
/// multi-threaded session.
/// </summary>
internal static class OrtThreadsComparison
{
    private const int Portfolios = 1000;
    private const int Assets = 20;
    private const int CallsPerRound = 20;

    public static void Run(int rounds)
    {
        var package = ModelPackage.Open(RepositoryPaths.Combine("models", "default", "1"));
        (string Name, int Threads, bool Spin)[] settings = [("1 thread (served)", 1, true), ("2 threads, spinning", 2, true), ("2 threads, no spinning", 2, false)];
        var sessions = settings.Select(s =>
        {
            using var options = OnnxSessions.CreateOptions();
            options.IntraOpNumThreads = s.Threads;
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", s.Spin ? "1" : "0");
            return package.CreateSession(options);
        }).ToArray();

        var f = sessions[0].InputMetadata[ModelContract.FeaturesInput].Dimensions[2];
        var features = new float[Portfolios * Assets * f];
        var rng = new Random(42);
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)(rng.NextDouble() - 0.5);
        }

        var previous = Enumerable.Repeat(1f / Assets, Portfolios * Assets).ToArray();
        var weights = new float[Portfolios * Assets];
        var all = settings.Select(_ => new List<double>()).ToArray();
        var perRound = settings.Select(_ => new List<double>()).ToArray();
        using var runOptions = new RunOptions();
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < sessions.Length; s++)
            {
                var times = new double[CallsPerRound];
                for (var call = 0; call < CallsPerRound + 2; call++)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var x = OrtValue.CreateTensorValueFromMemory(features, [Portfolios, Assets, f]);
                    using var p = OrtValue.CreateTensorValueFromMemory(previous, [Portfolios, Assets]);
                    using var w = OrtValue.CreateTensorValueFromMemory(weights, [Portfolios, Assets]);
                    sessions[s].Run(runOptions, [ModelContract.FeaturesInput, ModelContract.PreviousWeightsInput], [x, p], [ModelContract.WeightsOutput], [w]);
                    if (call >= 2)
                    {
                        times[call - 2] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    }
                }

                all[s].AddRange(times);
                Array.Sort(times);
                perRound[s].Add(times[CallsPerRound / 2]);
            }
        }

        for (var s = 0; s < settings.Length; s++)
        {
            all[s].Sort();
            var rounds1 = string.Join(" ", perRound[s].Select(m => m.ToString("F2", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{settings[s].Name,-24} median {all[s][all[s].Count / 2],6:F2} ms  p10 {all[s][all[s].Count / 10],6:F2}  p90 {all[s][all[s].Count * 9 / 10],6:F2}  round medians {rounds1}"));
            sessions[s].Dispose();
        }
    }
}
