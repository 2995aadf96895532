using System.Globalization;
using System.Text;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// An open-loop, fixed-rate HTTP load client for the targets service (loopback only, bounded in time):
/// request i is due at start + i / rate whatever happened to earlier ones, and its latency runs from that due time to
/// the end of its response, so a slow answer or a late send is counted instead of silently lowering the rate
/// (no coordinated omission, unlike wrk's delay()). A request waits in a queue while all connections are busy, and
/// that wait is part of its latency too. HTTP/1.1 over plain sockets, one request per connection at a time.
/// <para>
/// The whole client is one thread running one event loop, as wrk2 does: it sleeps in <c>ppoll</c> until the next
/// request is due or a response arrives (microsecond timeouts), so on a machine whose cores it shares with the server
/// it neither spins nor hands work between threads. How late each send left its due time is printed as "send lag".
/// </para>
/// <code>dotnet run -c Release --project tests/Predictive.Benchmarks -- open-loop --body single.json [--rate 1000]
///   [--seconds 15] [--warmup 3] [--connections 8] [--url http://127.0.0.1:5080/v1/targets]</code>
/// </summary>
internal static class OpenLoopClient
{
    public static int Run(string[] args)
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
        var connections = Math.Clamp(int.Parse(Option(args, "--connections") ?? "8", CultureInfo.InvariantCulture), 1, 256);
        if (!(rate is > 0 and <= 100_000))
        {
            throw new ArgumentException($"--rate {rate} must be in (0, 100000] requests per second.");
        }

        var body = File.ReadAllBytes(bodyPath);
        var request = Encoding.ASCII.GetBytes($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n")
            .Concat(body).ToArray();
        var samples = new Sample[(int)(rate * (warmup + seconds))];
        using var loop = new LoadLoop(url, request, connections, rate, samples);
        var cpuBefore = CpuTimes.Read();
        loop.Run(TimeSpan.FromSeconds(warmup + seconds + 30));
        var cpu = CpuTimes.Read() - cpuBefore;
        Print(samples.AsSpan((int)(rate * warmup)).ToArray(), seconds, rate);

        // On a virtual machine the hypervisor may take CPU time away (steal); latency tails follow it closely.
        Console.WriteLine(cpu.Total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"machine during the run: busy {cpu.BusyShare:P0}, stolen by the hypervisor {cpu.StealShare:P0} (of {Environment.ProcessorCount} cores, /proc/stat)")
            : "machine during the run: /proc/stat not readable");
        return 0;
    }

    /// <summary>The <c>app;dur=</c> entry of a <c>Server-Timing</c> header value (server time without writing the answer), or NaN.</summary>
    internal static double ServerTime(ReadOnlySpan<byte> header)
    {
        var at = header.IndexOf("app;dur="u8);
        if (at < 0)
        {
            return double.NaN;
        }

        var rest = header[(at + "app;dur=".Length)..];
        var end = rest.IndexOfAny((byte)',', (byte)';');
        return double.TryParse(end < 0 ? rest : rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : double.NaN;
    }

    /// <summary>The value of header <paramref name="name"/> (lower case, without the colon) in an HTTP/1.1 header block.</summary>
    internal static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> name)
    {
        while (!headers.IsEmpty)
        {
            var end = headers.IndexOf("\r\n"u8);
            var line = end < 0 ? headers : headers[..end];
            headers = end < 0 ? default : headers[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon == name.Length && Ascii.EqualsIgnoreCase(line[..colon], name))
            {
                return line[(colon + 1)..].Trim((byte)' ');
            }
        }

        return default;
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

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>The machine's CPU time counters from <c>/proc/stat</c> (all zero where it cannot be read).</summary>
    private readonly record struct CpuTimes(long Total, long Idle, long Steal)
    {
        public double BusyShare => (double)(Total - Idle - Steal) / Total;

        public double StealShare => (double)Steal / Total;

        public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Total - b.Total, a.Idle - b.Idle, a.Steal - b.Steal);

        public static CpuTimes Read()
        {
            try
            {
                // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks.
                var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                    .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                return new CpuTimes(fields.Take(8).Sum(), fields[3] + fields[4], fields[7]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return default;
            }
        }
    }

    /// <summary>One request's outcome; <see cref="Ok"/> false marks an error or a request never answered.</summary>
    internal struct Sample
    {
        public double LatencyMs;
        public double LagMs;
        public double ServerMs;
        public bool Ok;
    }
}
