using System.Buffers;

namespace Predictive.Service.Api.Parsing;

/// <summary>
/// A growable array rented from <see cref="ArrayPool{T}"/>: the parser appends numbers here, and slices of it are the
/// ONNX Runtime input tensors, so a steady load allocates no per-request number arrays.
/// </summary>
internal sealed class PooledBuffer<T> : IDisposable
{
    private T[] _items;

    public PooledBuffer(int capacity) => _items = ArrayPool<T>.Shared.Rent(Math.Max(capacity, 16));

    public int Count { get; private set; }

    /// <summary>The backing array; valid until the next <see cref="Add"/> that grows it.</summary>
    public T[] Array => _items;

    public Span<T> Span => _items.AsSpan(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Grow(Count);
        }

        _items[Count++] = item;
    }

    /// <summary>
    /// Sets the count after items were written straight into <see cref="Array"/> (a scanner keeps the array and count
    /// in locals while it appends, and grows through <see cref="Grow"/>).
    /// </summary>
    public void SetCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)_items.Length, nameof(count));
        Count = count;
    }

    /// <summary>Moves the first <paramref name="count"/> items to an array twice as large; returns it (also <see cref="Array"/>).</summary>
    public T[] Grow(int count)
    {
        var larger = ArrayPool<T>.Shared.Rent(_items.Length * 2);
        _items.AsSpan(0, count).CopyTo(larger);
        ArrayPool<T>.Shared.Return(_items, System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        _items = larger;
        Count = count;
        return larger;
    }

    /// <summary>Drops the items after <paramref name="count"/> (rolls back a partly parsed portfolio).</summary>
    public void Truncate(int count)
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            _items.AsSpan(count, Count - count).Clear();
        }

        Count = count;
    }

    public void Dispose()
    {
        if (_items.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_items, System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            _items = [];
            Count = 0;
        }
    }
}
