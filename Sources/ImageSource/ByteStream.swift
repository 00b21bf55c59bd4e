import LayerIndex

/// A pull-based stream of bytes: a file, a decompressor, an HTTP body.
/// Reads never hold more than the caller's buffer, so memory stays bounded whatever the size.
public protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end of the stream.
    /// Throws a `StrataError` on corrupt or truncated input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
