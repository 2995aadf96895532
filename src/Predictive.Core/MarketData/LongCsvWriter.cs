using System.Globalization;
using System.Text;

namespace Predictive.Core.MarketData;

/// <summary>
/// Writes a panel as long CSV (<c>timestamp,symbol[,open,high,low],close[,volume]</c>), one row per observed bar,
/// sorted by (timestamp, symbol). NaN and forward-filled bars are not written, so reading the file back rebuilds the
/// same panel. Numbers use the shortest text that round-trips; timestamps are <c>YYYY-MM-DD</c> when every bar starts
/// at midnight UTC, ISO-8601 UTC otherwise.
/// </summary>
public static class LongCsvWriter
{
    /// <summary>Writes the panel to <paramref name="stream"/> as UTF-8 without a byte order mark; the stream is left open.</summary>
    public static void Write(PricePanel panel, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(panel switch
        {
            { HasOhlc: true, HasVolume: true } => "timestamp,symbol,open,high,low,close,volume",
            { HasOhlc: true } => "timestamp,symbol,open,high,low,close",
            { HasVolume: true } => "timestamp,symbol,close,volume",
            _ => "timestamp,symbol,close",
        });

        var dateOnly = true;
        foreach (var t in panel.Timestamps)
        {
            dateOnly &= t.UtcTicks % TimeSpan.TicksPerDay == 0;
        }

        var format = dateOnly ? "yyyy'-'MM'-'dd" : "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'";
        var order = LongRows.SymbolOrder(panel);
        Span<char> buffer = stackalloc char[64];
        for (var t = 0; t < panel.BarCount; t++)
        {
            var stamp = panel.Timestamps[t].UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
            foreach (var a in order)
            {
                if (!LongRows.IsWritten(panel, a, t))
                {
                    continue;
                }

                writer.Write(stamp);
                writer.Write(',');
                writer.Write(panel.Assets[a]);
                if (panel.HasOhlc)
                {
                    WriteNumber(writer, panel.Open(a)[t], buffer);
                    WriteNumber(writer, panel.High(a)[t], buffer);
                    WriteNumber(writer, panel.Low(a)[t], buffer);
                }

                WriteNumber(writer, panel.Close(a)[t], buffer);
                if (panel.HasVolume)
                {
                    WriteNumber(writer, panel.Volume(a)[t], buffer);
                }

                writer.WriteLine();
            }
        }
    }

    private static void WriteNumber(StreamWriter writer, double value, Span<char> buffer)
    {
        writer.Write(',');
        value.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
        writer.Write(buffer[..n]);
    }
}
