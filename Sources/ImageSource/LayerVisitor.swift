import LayerIndex

/// Receives each regular file's content during the one streaming pass over a layer,
/// so indexing and detection share a single decompression.
public protocol LayerVisitor: AnyObject {
    /// Called before a regular file's content. Return a sink to receive the content, or nil to
    /// skip it (its sha256 is computed either way). `entry.sha256` is not yet known here.
    func beginFile(_ entry: Entry) -> FileContentSink?
}

/// Content of one file, in chunks, in order.
public protocol FileContentSink: AnyObject {
    func consume(_ bytes: UnsafeRawBufferPointer)
    /// Called once after the last chunk, with the entry's sha256 filled in.
    func finish(_ entry: Entry)
}
