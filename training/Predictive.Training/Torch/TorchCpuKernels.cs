using System.Runtime.InteropServices;
using TorchSharp;

namespace Predictive.Training.Torch;

/// <summary>
/// Pins the CPU kernel set libtorch dispatches to, and reads back the one it really uses.
/// </summary>
/// <remarks>
/// <para>libtorch chooses its vectorized kernels once per process, the first time an operator dispatches, from
/// <c>ATEN_CPU_CAPABILITY</c> or else from the CPU. AVX-512 kernels round differently from AVX2 ones, so the same
/// seed trained a different model on an AVX-512 CPU. Training therefore sets <c>ATEN_CPU_CAPABILITY=avx2</c> itself,
/// overriding any value already exported, before libtorch can read it.</para>
/// <para>The variable is set with libc's <c>setenv</c>: on Linux, <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only .NET's own copy, which libtorch's <c>getenv</c> never sees. It has no effect once libtorch has chosen,
/// so <see cref="EnsurePinned"/> reads the choice back (<c>at::get_cpu_capability()</c>) and refuses otherwise.</para>
/// <para>Linux x64 only (the platform the libtorch build here targets): elsewhere the read-back is unavailable and
/// <see cref="EnsurePinned"/> refuses, since the kernel set could not be shown.</para>
/// </remarks>
public static partial class TorchCpuKernels
{
    /// <summary>The environment variable libtorch reads.</summary>
    public const string Variable = "ATEN_CPU_CAPABILITY";

    /// <summary>The pinned kernel set: AVX2, which every x64 CPU of the last decade runs, with or without AVX-512.</summary>
    public const string Pinned = "avx2";

    private const string TorchCpuLibrary = "libtorch_cpu.so";
    private static readonly Lock Gate = new();
    private static bool pinned;
    private static string? libtorchVersion;

    /// <summary>
    /// Sets <c>ATEN_CPU_CAPABILITY=avx2</c> in the native environment of this process, replacing any other value.
    /// Call before the first TorchSharp operation; later calls do nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">libc refused the variable.</exception>
    public static void Pin()
    {
        lock (Gate)
        {
            if (pinned)
            {
                return;
            }

            if (OperatingSystem.IsLinux() && SetEnv(Variable, Pinned, 1) != 0)
            {
                throw new InvalidOperationException($"setenv({Variable}={Pinned}) failed with errno {Marshal.GetLastPInvokeError()}.");
            }

            Environment.SetEnvironmentVariable(Variable, Pinned);
            pinned = true;
        }
    }

    /// <summary>
    /// The kernel set libtorch dispatches to in this process, lower case (<c>avx2</c>, <c>avx512</c>, <c>default</c>
    /// …), as libtorch names it. Reading it fixes libtorch's choice for the rest of the process.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux x64.</exception>
    public static string Active() => CallStringFunction("_ZN2at18get_cpu_capabilityB5cxx11Ev").Trim().ToLowerInvariant();

    /// <summary>Pins (if not yet done) and checks that libtorch runs the pinned kernel set.</summary>
    /// <returns>The active kernel set, which is <see cref="Pinned"/>.</returns>
    /// <exception cref="TorchKernelException">libtorch runs another kernel set, or it cannot be read here.</exception>
    public static string EnsurePinned()
    {
        Pin();
        string active;
        try
        {
            active = Active();
        }
        catch (PlatformNotSupportedException ex)
        {
            throw new TorchKernelException($"libtorch's CPU kernel set cannot be read on this platform ({ex.Message}), so a reproducible model cannot be shown; training refuses to write one.", ex);
        }

        return Require(active);
    }

    /// <summary>Returns <paramref name="active"/> when it is the pinned kernel set, and refuses otherwise.</summary>
    /// <exception cref="TorchKernelException">It is not.</exception>
    internal static string Require(string active)
    {
        if (!string.Equals(active, Pinned, StringComparison.Ordinal))
        {
            throw new TorchKernelException(
                $"libtorch runs the '{active}' CPU kernels, not the pinned '{Pinned}': {Variable} was read before training set it " +
                $"(TorchSharp ran an operation earlier in this process), or this CPU lacks AVX2/FMA. The model would not be reproducible, so it is not written. " +
                $"Start training in a fresh process, or call {nameof(TorchCpuKernels)}.{nameof(Pin)}() before any TorchSharp operation.");
        }

        return active;
    }

    /// <summary>The libtorch version in this process (from its build configuration, e.g. <c>2.10.0</c>).</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux x64.</exception>
    public static string LibTorchVersion()
    {
        lock (Gate)
        {
            // show_config's text outgrows std::string's inline buffer, so its heap copy is leaked; once per process.
            return libtorchVersion ??= ParseTorchVersion(CallStringFunction("_ZN2at11show_configB5cxx11Ev"));
        }
    }

    private static string ParseTorchVersion(string config)
    {
        const string Key = "TORCH_VERSION=";
        var start = config.IndexOf(Key, StringComparison.Ordinal);
        if (start < 0)
        {
            return "unknown";
        }

        start += Key.Length;
        var end = start;
        while (end < config.Length && (char.IsAsciiDigit(config[end]) || config[end] == '.'))
        {
            end++;
        }

        return config[start..end];
    }

    /// <summary>
    /// Calls an exported libtorch function <c>std::string f()</c>. The x86-64 System V ABI returns a
    /// <c>std::string</c> through a hidden pointer to caller memory (libstdc++'s layout: data pointer, length, then a
    /// 16-byte inline buffer that short strings use).
    /// </summary>
    private static unsafe string CallStringFunction(string symbol)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException($"reading libtorch's {symbol} needs Linux x64, not {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}");
        }

        // Loading TorchSharp's native side first makes libtorch_cpu.so resident, so the name resolves to that copy.
        _ = torch.get_num_threads();
        var library = NativeLibrary.Load(TorchCpuLibrary);
        var function = (delegate* unmanaged<byte*, byte*>)NativeLibrary.GetExport(library, symbol);
        var result = stackalloc byte[32];
        _ = function(result);
        var data = *(byte**)result;
        var length = checked((int)*(ulong*)(result + 8));
        return System.Text.Encoding.UTF8.GetString(data, length);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}

/// <summary>libtorch does not run the pinned CPU kernel set, so a trained model would not be reproducible.</summary>
public sealed class TorchKernelException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public TorchKernelException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TorchKernelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TorchKernelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
