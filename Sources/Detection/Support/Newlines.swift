/// Counting line feeds in large buffers, eight bytes at a time (portable SWAR: no popcount
/// instruction is assumed).
public enum Newlines {
    /// How many `\n` bytes `bytes` holds, and the offset of the last one (nil when none).
    public static func scan(_ bytes: UnsafeRawBufferPointer) -> (count: Int, last: Int?) {
        let n = bytes.count
        let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let byteMask: UInt64 = 0x00FF_00FF_00FF_00FF
        var count = 0
        var i = 0
        while i + 8 <= n {
            // Per-byte counters: 255 words at most before a lane could overflow.
            var lanes: UInt64 = 0
            let stop = min(n - 7, i + 8 * 255)
            while i < stop {
                // A byte of `w` is zero exactly where the input byte is `\n`; the expression
                // sets bit 0 of each such byte and nothing else (no carry crosses a byte).
                let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ newlines
                lanes &+= (~(((w & lowBits) &+ lowBits) | w | lowBits)) >> 7
                i += 8
            }
            let pairs = (lanes & byteMask) &+ ((lanes >> 8) & byteMask)
            count &+= Int((pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while i < n {
            if bytes[i] == 0x0A { count += 1 }
            i += 1
        }
        guard count > 0 else { return (0, nil) }
        var last = n - 1
        while bytes[last] != 0x0A { last -= 1 }
        return (count, last)
    }
}
