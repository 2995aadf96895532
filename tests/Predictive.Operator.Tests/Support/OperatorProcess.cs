using System.Diagnostics;
using System.Text;

namespace Predictive.Operator.Tests.Support;

/// <summary>
/// The operator as a real child process (its own build output), configured through <c>Operator__…</c> environment
/// variables, with its output collected for failure messages. Disposing kills it (SIGKILL) if it still runs.
/// </summary>
internal sealed class OperatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private OperatorProcess(Process process, StringBuilder output)
    {
        _process = process;
        _output = output;
    }

    public int Id => _process.Id;

    /// <summary>Starts the operator in <paramref name="workingDirectory"/>; its output goes to <paramref name="output"/> (shared by the nodes of one test).</summary>
    public static OperatorProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> settings, StringBuilder output)
    {
        // The operator's own build output (its runtimeconfig and deps), in the configuration this test was built in.
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Predictive.Tests.Shared.RepositoryPaths.Combine("src", "Predictive.Operator", "bin", configuration, "net10.0", "Predictive.Operator.dll");
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OperatorProcess(process, output);
    }

    /// <summary>SIGKILL (no shutdown, no cleanup), and waits for the exit.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms (an exception counts as "not yet": the database may not exist yet); fails with the output's tail after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, StringBuilder output)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await HoldsAsync(condition))
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                string log;
                lock (output)
                {
                    log = output.ToString();
                }

                Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}. Operator output:\n{log[Math.Max(0, log.Length - 4000)..]}");
            }

            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static async Task<bool> HoldsAsync(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
#pragma warning disable CA1031 // Until the node has created its tables, any read fails; that is "not yet".
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
