using System.Text;
using Predictive.Tests.Shared;

namespace Predictive.Core.Tests.MarketData;

/// <summary>Test inputs: the shared real data directory, temp files and a stream that cannot seek.</summary>
internal static class MarketDataTestFiles
{
    /// <summary>A shared data file (../shared/data beside the repository); see <see cref="Prerequisites.SharedData"/> when absent.</summary>
    public static string SharedData(string file) => Prerequisites.SharedData(file);

    /// <summary>A fresh temp path with the given file name, in a directory deleted by <see cref="TempDir.Dispose"/>.</summary>
    public static TempDir NewTempDir() => new();

    public static Stream NonSeekable(string text, int chunk = 7) => new TrickleStream(Encoding.UTF8.GetBytes(text), chunk);

    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "predictive-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name, string? content = null)
        {
            var path = System.IO.Path.Combine(Path, name);
            if (content is not null)
            {
                System.IO.File.WriteAllText(path, content);
            }

            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read and cannot seek, like a network or pipe stream.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
