using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// The open-loop client's single-threaded event loop: releases requests at their due times, keeps at most one request
/// in flight per keep-alive connection, and reads the answers as <c>ppoll</c> reports them. Linux only (the machines
/// the benchmarks run on).
/// </summary>
internal sealed partial class LoadLoop(Uri url, byte[] request, int connections, double rate, OpenLoopClient.Sample[] samples) : IDisposable
{
    private const short PollIn = 0x1;
    private readonly Connection[] _connections = Enumerable.Range(0, connections).Select(_ => new Connection()).ToArray();
    private readonly double _interval = Stopwatch.Frequency / rate;

    public void Run(TimeSpan limit)
    {
        var total = samples.Length;
        var waiting = new Queue<int>();
        var fds = new PollFd[_connections.Length];
        var ready = new Connection[_connections.Length];
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var next = 0;
        var completed = 0;
        while (completed < total)
        {
            var now = Stopwatch.GetTimestamp();
            if (now > deadline)
            {
                break;
            }

            while (next < total && Due(start, next) <= now)
            {
                waiting.Enqueue(next++);
            }

            foreach (var connection in _connections)
            {
                if (waiting.Count == 0)
                {
                    break;
                }

                if (connection.Index < 0)
                {
                    var index = waiting.Dequeue();
                    if (!connection.Send(index, Due(start, index), request, url, samples))
                    {
                        completed++;
                    }
                }
            }

            var busy = 0;
            foreach (var connection in _connections)
            {
                if (connection.Index >= 0)
                {
                    fds[busy] = new PollFd { Fd = connection.Fd, Events = PollIn };
                    ready[busy++] = connection;
                }
            }

            // A failed send frees its connection while requests may still wait: send them before sleeping.
            var wait = waiting.Count > 0 && busy < _connections.Length ? 0
                : next < total ? Math.Max(0, Due(start, next) - Stopwatch.GetTimestamp())
                : Stopwatch.Frequency / 20;
            if (busy == 0 && wait == 0)
            {
                continue;
            }

            var timeout = new TimeSpec { Seconds = wait / Stopwatch.Frequency, Nanoseconds = (wait % Stopwatch.Frequency) * 1_000_000_000 / Stopwatch.Frequency };
            if (Poll(fds, (nuint)busy, ref timeout, 0) < 0 && Marshal.GetLastPInvokeError() != 4)
            {
                throw new InvalidOperationException($"ppoll failed with errno {Marshal.GetLastPInvokeError().ToString(CultureInfo.InvariantCulture)}.");
            }

            for (var i = 0; i < busy; i++)
            {
                if (fds[i].Returned != 0 && ready[i].Receive(samples))
                {
                    completed++;
                }
            }
        }

        // Requests never answered within the limit are errors with an unbounded latency.
        for (var i = 0; i < total; i++)
        {
            if (samples[i].LatencyMs == 0 && !samples[i].Ok)
            {
                samples[i].LatencyMs = double.PositiveInfinity;
            }
        }
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    [LibraryImport("libc", EntryPoint = "ppoll", SetLastError = true)]
    private static partial int Poll([In, Out] PollFd[] fds, nuint count, ref TimeSpec timeout, nint signalMask);

    private long Due(long start, int index) => start + (long)(index * _interval);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>One keep-alive connection and the response it is reading.</summary>
    private sealed class Connection : IDisposable
    {
        private const long Incomplete = -1;
        private const int MaxResponse = 64 << 20;
        private byte[] _buffer = new byte[1 << 16];
        private Socket? _socket;
        private long _due;
        private int _filled;

        /// <summary>The request in flight, or -1 when the connection is free.</summary>
        public int Index { get; private set; } = -1;

        public int Fd { get; private set; }

        /// <summary>Sends request <paramref name="index"/>; false when it failed at once (recorded as an error).</summary>
        public bool Send(int index, long due, byte[] request, Uri url, OpenLoopClient.Sample[] samples)
        {
            var now = Stopwatch.GetTimestamp();
            samples[index].LagMs = Ms(now - due);
            try
            {
                if (_socket is null)
                {
                    _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    _socket.Connect(url.Host, url.Port);
                    Fd = (int)_socket.Handle;
                }

                _socket.Send(request);
            }
            catch (SocketException)
            {
                Fail(index, due, samples);
                return false;
            }

            Index = index;
            _due = due;
            _filled = 0;
            return true;
        }

        /// <summary>Reads what has arrived; true when the response (or an error) completed the request.</summary>
        public bool Receive(OpenLoopClient.Sample[] samples)
        {
            var index = Index;
            if (_filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = _socket!.Receive(_buffer, _filled, _buffer.Length - _filled, SocketFlags.None);
            }
            catch (SocketException)
            {
                read = 0;
            }

            if (read == 0 || _filled + read > MaxResponse)
            {
                Fail(index, _due, samples);
                return true;
            }

            _filled += read;
            var response = _buffer.AsSpan(0, _filled);
            var headerEnd = response.IndexOf("\r\n\r\n"u8);
            if (headerEnd < 0)
            {
                return false;
            }

            var headers = response[..headerEnd];
            var length = ResponseLength(headers, response[(headerEnd + 4)..]);
            if (length == Incomplete)
            {
                return false;
            }

            samples[index].LatencyMs = Ms(Stopwatch.GetTimestamp() - _due);
            samples[index].ServerMs = OpenLoopClient.ServerTime(OpenLoopClient.Header(headers, "server-timing"u8));

            // Anything after the response would be a second answer to one request: count it as an error.
            samples[index].Ok = headers.StartsWith("HTTP/1.1 200"u8) && headerEnd + 4 + length == _filled;
            Index = -1;
            _filled = 0;
            if (!samples[index].Ok || Ascii.EqualsIgnoreCase(OpenLoopClient.Header(headers, "connection"u8), "close"u8))
            {
                Reset();
            }

            return true;
        }

        /// <summary>
        /// The body's length on the wire once it has all arrived (Content-Length, or chunked up to its last chunk), or
        /// <see cref="Incomplete"/>.
        /// </summary>
        private static long ResponseLength(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> body)
        {
            if (long.TryParse(OpenLoopClient.Header(headers, "content-length"u8), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return body.Length >= length ? length : Incomplete;
            }

            if (!Ascii.EqualsIgnoreCase(OpenLoopClient.Header(headers, "transfer-encoding"u8), "chunked"u8))
            {
                throw new InvalidOperationException("a response without Content-Length or chunked encoding.");
            }

            var at = 0;
            while (true)
            {
                var line = body[at..].IndexOf("\r\n"u8);
                if (line < 0)
                {
                    return Incomplete;
                }

                var size = long.Parse(body.Slice(at, line), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                at += line + 2 + (int)size + 2;
                if (at > body.Length)
                {
                    return Incomplete;
                }

                if (size == 0)
                {
                    return at;
                }
            }
        }

        public void Dispose() => Reset();

        private void Fail(int index, long due, OpenLoopClient.Sample[] samples)
        {
            samples[index].LatencyMs = Ms(Stopwatch.GetTimestamp() - due);
            samples[index].Ok = false;
            Index = -1;
            Reset();
        }

        private void Reset()
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
