using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// An open-loop, fixed-rate HTTP load client for the targets service (loopback only, bounded in time):
/// request i is due at start + i / rate whatever happened to earlier ones, and its latency runs from that due time to
/// the end of its response, so a slow answer or a late send is counted instead of silently lowering the rate
/// (no coordinated omission, unlike wrk's delay()). Sends are dispatched from a 1 ms sleep loop; how late each send
/// left is printed as "send lag" and is included in the latency; a request waits in a queue while all connections
/// are busy, and that wait is part of its latency too. HTTP/1.1 over plain sockets, one request per connection at a time.
/// <code>dotnet run -c Release --project tests/Predictive.Benchmarks -- open-loop --body single.json [--rate 1000]
///   [--seconds 15] [--warmup 3] [--connections 32] [--url http://127.0.0.1:5080/v1/targets]</code>
/// </summary>
internal static class OpenLoopClient
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(Option(args, "--url") ?? "http://127.0.0.1:5080/v1/targets");
        if (!url.IsLoopback)
        {
            Console.Error.WriteLine($"refusing {url}: the load client only targets loopback addresses.");
            return 2;
        }

        var bodyPath = Option(args, "--body") ?? throw new ArgumentException("--body <file> is required (see make-bodies.py).");
        var rate = double.Parse(Option(args, "--rate") ?? "1000", CultureInfo.InvariantCulture);
        var seconds = Math.Clamp(double.Parse(Option(args, "--seconds") ?? "15", CultureInfo.InvariantCulture), 1, 300);
        var warmup = Math.Clamp(double.Parse(Option(args, "--warmup") ?? "3", CultureInfo.InvariantCulture), 0, 60);
        var connections = int.Parse(Option(args, "--connections") ?? "32", CultureInfo.InvariantCulture);
        var body = await File.ReadAllBytesAsync(bodyPath);

        // HttpClient costs about 0.5 ms of CPU per request here, which on 2 shared cores collapses near 1,000 req/s;
        // plain sockets with a prepared request cost a few tens of microseconds, as wrk does.
        var request = Encoding.ASCII.GetBytes($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n")
            .Concat(body).ToArray();
        var total = (int)(rate * (warmup + seconds));
        var samples = new Sample[total];
        var due = Channel.CreateUnbounded<(int Index, long Due)>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = new Task[connections];
        for (var c = 0; c < connections; c++)
        {
            workers[c] = WorkAsync(url, request, due.Reader, samples);
        }

        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var at = start + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < at)
            {
                // Sleeping, not spinning: the client shares the machine's cores with the server it measures.
                Thread.Sleep(1);
            }

            due.Writer.TryWrite((i, at));
        }

        due.Writer.Complete();
        await Task.WhenAll(workers);
        Print(samples.AsSpan((int)(rate * warmup)).ToArray(), seconds, rate);
        return 0;
    }

    /// <summary>One keep-alive connection: takes the next due request, sends it, reads the whole answer.</summary>
    private static async Task WorkAsync(Uri url, byte[] request, ChannelReader<(int Index, long Due)> due, Sample[] samples)
    {
        var response = new byte[1 << 16];
        Socket? socket = null;
        await foreach (var (index, at) in due.ReadAllAsync())
        {
            var sample = new Sample { LagMs = Ms(Stopwatch.GetTimestamp() - at) };
            try
            {
                if (socket is null)
                {
                    socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(url.Host, url.Port);
                }

                await socket.SendAsync(request, SocketFlags.None);
                (sample.Ok, sample.ServerMs, var keepAlive) = await ReadResponseAsync(socket, response);
                if (!keepAlive)
                {
                    socket.Dispose();
                    socket = null;
                }
            }
            catch (SocketException)
            {
                sample.Ok = false;
                socket?.Dispose();
                socket = null;
            }

            sample.LatencyMs = Ms(Stopwatch.GetTimestamp() - at);
            samples[index] = sample;
        }

        socket?.Dispose();
    }

    /// <summary>Reads one HTTP/1.1 response with a Content-Length body: (status 200, Server-Timing app ms, keep-alive).</summary>
    private static async Task<(bool Ok, double ServerMs, bool KeepAlive)> ReadResponseAsync(Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            filled += read;
        }

        var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var ok = headers.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        var length = int.Parse(Header(headers, "content-length") ?? "0", CultureInfo.InvariantCulture);
        var left = headerEnd + 4 + length - filled;
        while (left > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            left -= read;
        }

        var close = string.Equals(Header(headers, "connection"), "close", StringComparison.OrdinalIgnoreCase);
        return (ok, ServerTime(Header(headers, "server-timing")), !close);
    }

    private static string? Header(string headers, string name)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>The <c>app;dur=</c> entry of <c>Server-Timing</c> (server time without writing the answer), or NaN.</summary>
    private static double ServerTime(string? header)
    {
        var at = header?.IndexOf("app;dur=", StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return double.NaN;
        }

        var rest = header.AsSpan(at + "app;dur=".Length);
        var end = rest.IndexOf(',');
        return double.TryParse(end < 0 ? rest : rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : double.NaN;
    }

    private static void Print(Sample[] samples, double seconds, double rate)
    {
        var latency = samples.Select(s => s.LatencyMs).Order().ToArray();
        var lag = samples.Select(s => s.LagMs).Order().ToArray();
        var server = samples.Select(s => s.ServerMs).Where(double.IsFinite).Order().ToArray();
        var errors = samples.Count(s => !s.Ok);
        var done = samples.Length - errors;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open loop: target {rate:F0} req/s for {seconds:F0} s (after warm-up): {samples.Length} requests, {done} OK, {errors} errors, achieved {done / seconds:F0} req/s"));
        Console.WriteLine($"latency from due time  {Percentiles(latency)}");
        Console.WriteLine($"send lag (in latency)  {Percentiles(lag)}");
        Console.WriteLine($"server app time        {Percentiles(server)}");
    }

    private static string Percentiles(double[] sorted) => sorted.Length == 0
        ? "n/a"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {At(sorted, 0.50):F2} ms  p90 {At(sorted, 0.90):F2} ms  p99 {At(sorted, 0.99):F2} ms  p99.9 {At(sorted, 0.999):F2} ms  max {sorted[^1]:F2} ms");

    private static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private struct Sample
    {
        public double LatencyMs;
        public double LagMs;
        public double ServerMs;
        public bool Ok;
    }
}
