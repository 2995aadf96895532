using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Predictive.Tests.Shared;

namespace Predictive.Notebooks.Tests;

/// <summary>A notebook cell that failed: which one, its first line, and the kernel's message.</summary>
internal sealed class NotebookCellException(string notebook, int cell, string firstLine, string message)
    : Exception($"{notebook}: cell {cell} ({firstLine}) failed: {message}");

/// <summary>
/// Runs a notebook's C# cells in order in one in-process <see cref="CSharpKernel"/>, the way VS Code's Polyglot
/// Notebooks would, and stops at the first cell the kernel reports as failed (compile error or exception alike).
/// Markdown cells are skipped. The kernel stays open so a test can read the notebook's variables.
/// </summary>
internal sealed class NotebookRunner : IDisposable
{
    private static int _nativeHooked;
    private readonly CSharpKernel _kernel;

    private NotebookRunner(CSharpKernel kernel) => _kernel = kernel;

    /// <summary>The notebooks folder; <c>#r "../src/…"</c> paths in the notebooks are relative to it.</summary>
    public static string Folder => RepositoryPaths.Combine("notebooks");

    /// <summary>Training's library as the notebooks reference it (<c>#r</c>, relative to <see cref="Folder"/>).</summary>
    private const string TrainingLibrary = "../src/Predictive.Cli/bin/Release/net10.0/Predictive.Training.dll";

    /// <summary>How many code cells ran.</summary>
    public int CellsRun { get; private set; }

    /// <summary>Everything the cells wrote to standard output, in order.</summary>
    public List<string> Output { get; } = [];

    /// <summary>Runs <paramref name="notebookFile"/> (a name inside <see cref="Folder"/>, or a full path).</summary>
    /// <exception cref="NotebookCellException">A cell failed; later cells did not run.</exception>
    public static async Task<NotebookRunner> RunAsync(string notebookFile, CancellationToken cancellationToken)
    {
        var path = Path.IsPathRooted(notebookFile) ? notebookFile : Path.Combine(Folder, notebookFile);
        var library = Path.Combine(Folder, "..", "src", "Predictive.Cli", "bin", "Release", "net10.0", "Predictive.Core.dll");
        Assert.IsTrue(File.Exists(library), $"the notebooks load the library from {Path.GetFullPath(library)}; build it first (dotnet build src/Predictive.Cli -c Release).");
        var document = await InteractiveDocument.LoadAsync(new FileInfo(path));
        ResolveNativeLibraries();

        // Relative #r paths resolve against the working directory, as in VS Code (the notebook's folder).
        Directory.SetCurrentDirectory(Folder);
        var runner = new NotebookRunner(new CSharpKernel().UseKernelHelpers());
        try
        {
            await runner.PinLibTorchKernelsAsync(cancellationToken);
            var index = 0;
            foreach (var cell in document.Elements)
            {
                index++;
                if (cell.KernelName is not ("csharp" or "C#"))
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var result = await runner._kernel.SendAsync(new SubmitCode(cell.Contents), cancellationToken);
                runner.CellsRun++;
                runner.Output.AddRange(result.Events.OfType<StandardOutputValueProduced>().SelectMany(e => e.FormattedValues).Select(v => v.Value));
                if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
                {
                    var firstLine = cell.Contents.Split('\n', 2)[0].Trim();
                    throw new NotebookCellException(Path.GetFileName(path), index, firstLine, failed.Exception?.ToString() ?? failed.Message);
                }
            }

            return runner;
        }
        catch
        {
            runner.Dispose();
            throw;
        }
    }

    /// <summary>Reads a variable the notebook defined.</summary>
    /// <exception cref="AssertFailedException">The notebook defines no such variable of that type.</exception>
    public T Value<T>(string name)
    {
        Assert.IsTrue(_kernel.TryGetValue<T>(name, out var value), $"the notebook defines no variable '{name}' of type {typeof(T).Name}");
        return value;
    }

    /// <inheritdoc />
    public void Dispose() => _kernel.Dispose();

    /// <summary>
    /// Assemblies loaded with <c>#r</c> by path find their native libraries (SkiaSharp for plots, libtorch) in the
    /// library's <c>runtimes/&lt;rid&gt;/native</c> folder, which the test host's own dependency file does not list.
    /// </summary>
    private static void ResolveNativeLibraries()
    {
        if (Interlocked.Exchange(ref _nativeHooked, 1) == 1)
        {
            return;
        }

        var native = Path.Combine(Folder, "..", "src", "Predictive.Cli", "bin", "Release", "net10.0", "runtimes", OperatingSystem.IsLinux() ? "linux-x64" : "win-x64", "native");
        IntPtr Resolve(System.Reflection.Assembly assembly, string name)
        {
            foreach (var file in new[] { name, $"{name}.so", $"lib{name}.so", $"{name}.dll" })
            {
                var path = Path.Combine(native, file);
                if (File.Exists(path))
                {
                    return NativeLibrary.Load(path);
                }
            }

            return IntPtr.Zero;
        }

        // The kernel may load #r assemblies into a load context of its own: hook every context an assembly lands in.
        // When TorchSharp arrives, its libtorch is loaded first by full path: the default probing would otherwise find
        // a system libtorch of another version (Debian's python3-torch puts libtorch_cpu.so in the loader's cache),
        // and libLibTorchSharp.so would bind to it by soname.
        var hooked = new HashSet<System.Runtime.Loader.AssemblyLoadContext>();
        void Hook(System.Reflection.Assembly assembly)
        {
            if (assembly.GetName().Name == "TorchSharp")
            {
                foreach (var lib in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
                {
                    var path = Path.Combine(native, lib);
                    if (File.Exists(path))
                    {
                        NativeLibrary.Load(path);
                    }
                }
            }

            if (System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly) is { } context)
            {
                lock (hooked)
                {
                    if (hooked.Add(context))
                    {
                        context.ResolvingUnmanagedDll += Resolve;
                    }
                }
            }
        }

        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Hook(e.LoadedAssembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            Hook(assembly);
        }
    }

    /// <summary>
    /// libtorch picks its CPU kernels from ATEN_CPU_CAPABILITY when it first runs; pinned to AVX2, training gives the
    /// same bits with or without AVX-512. Before any notebook cell, the kernel itself runs training's one implementation,
    /// <c>TorchCpuKernels.Pin()</c> (libc setenv, replacing any value already set), from the same
    /// <c>Predictive.Training.dll</c> the notebooks <c>#r</c>, by the same path: the kernel loads that assembly once, so
    /// the notebooks' training sees the pin it made.
    /// </summary>
    private async Task PinLibTorchKernelsAsync(CancellationToken cancellationToken)
    {
        var pin = $"#r \"{TrainingLibrary}\"\nPredictive.Training.Torch.TorchCpuKernels.Pin();";
        var result = await _kernel.SendAsync(new SubmitCode(pin), cancellationToken);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            throw new NotebookCellException("(runner)", 0, "TorchCpuKernels.Pin()", failed.Exception?.ToString() ?? failed.Message);
        }
    }
}
