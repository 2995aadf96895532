namespace Predictive.Chain.Tests.Rpc;

/// <summary>Tiny hand-assembled EVM programs, so RPC tests need no compiler: run as init code by eth_call or a deployment.</summary>
internal static class EvmCode
{
    private const byte Push1 = 0x60, Push32 = 0x7f, MStore = 0x52, Return = 0xf3, Revert = 0xfd, Log3 = 0xa3, Stop = 0x00;

    /// <summary>Copies <paramref name="data"/> to memory and returns it.</summary>
    public static byte[] ReturnData(byte[] data) => [.. StoreInMemory(data), Push1, (byte)data.Length, Push1, 0, Return];

    /// <summary>Copies <paramref name="data"/> to memory and reverts with it.</summary>
    public static byte[] RevertWith(byte[] data) => [.. StoreInMemory(data), Push1, (byte)data.Length, Push1, 0, Revert];

    /// <summary>Emits LOG3(topic0, topic1, topic2) with a 32-byte data word, then stops (deploying empty code).</summary>
    public static byte[] EmitLog3AndStop(byte[] topic0, byte[] topic1, byte[] topic2, byte[] data) =>
        [.. StoreInMemory(data), Push32, .. topic2, Push32, .. topic1, Push32, .. topic0, Push1, 32, Push1, 0, Log3, Stop];

    private static byte[] StoreInMemory(byte[] data)
    {
        var code = new List<byte>();
        for (var offset = 0; offset < data.Length; offset += 32)
        {
            var word = new byte[32];
            Array.Copy(data, offset, word, 0, Math.Min(32, data.Length - offset));
            code.Add(Push32);
            code.AddRange(word);
            code.Add(Push1);
            code.Add((byte)offset);
            code.Add(MStore);
        }

        return [.. code];
    }
}
