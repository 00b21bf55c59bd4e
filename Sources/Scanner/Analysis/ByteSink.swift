/// A push-style consumer of bytes: what a file's content, a decompressor's output or an
/// archive member's data is written into, in order, then closed once.
protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer)
    func close()
}

/// Limits shared by everything expanded out of one file of a layer, so that a zip bomb or a
/// deeply nested archive costs bounded time and memory.
final class ExpansionBudget {
    /// Bytes that may still be produced by decompression or archive members.
    var remainingBytes: Int64
    /// Archive members that may still be opened.
    var remainingMembers: Int
    /// Set once a limit was hit (reported once per top-level file).
    var exhausted = false

    init(bytes: Int64, members: Int) {
        remainingBytes = bytes
        remainingMembers = members
    }

    /// Takes `n` bytes from the budget; false (and `exhausted`) when there are not enough.
    func spend(_ n: Int) -> Bool {
        if exhausted { return false }
        remainingBytes -= Int64(n)
        if remainingBytes < 0 { exhausted = true; return false }
        return true
    }

    func openMember() -> Bool {
        if exhausted { return false }
        remainingMembers -= 1
        if remainingMembers < 0 { exhausted = true; return false }
        return true
    }
}
