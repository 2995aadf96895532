namespace Predictive.Core.MarketData;

/// <summary>
/// Reads a UTF-8 stream line by line into one reusable buffer, so a file of any size is read once and never held in
/// memory as text. Works on non-seekable streams.
/// </summary>
internal sealed class Utf8LineReader
{
    /// <summary>The buffer a reader starts with; large so that a multi-megabyte file takes few reads.</summary>
    public const int DefaultBufferSize = 1 << 20;

    // A line longer than this is not market data; stop before growing the buffer without bound.
    private const int MaxLineBytes = 16 << 20;

    private readonly Stream _stream;
    private readonly string _source;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public Utf8LineReader(Stream stream, string source, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _source = source;
        _buffer = new byte[bufferSize];
    }

    /// <summary>The 1-based number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Returns the next line without its line ending. The span is valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                line = Finish(pending[..newline]);
                return true;
            }

            if (_eof)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }

                _start = _end;
                line = Finish(pending);
                return true;
            }

            Fill();
        }
    }

    private ReadOnlySpan<byte> Finish(ReadOnlySpan<byte> line)
    {
        LineNumber++;
        if (LineNumber == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new MarketDataException(_source, LineNumber + 1, $"the line is longer than {MaxLineBytes} bytes; this is not a text market data file.");
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }
}
