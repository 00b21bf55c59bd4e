import LayerIndex

/// Computes the sha256 of everything that passes through. At the end of the stream it compares
/// the digest with the expected one and throws a `StrataError` naming the blob on a mismatch
/// (unless verification is off). A stream that is not read to its end is never judged.
public final class DigestingStream: ByteStream {
    private let source: ByteStream
    private var hasher: SHA256Hasher? = SHA256Hasher()
    public let expected: Digest?
    public let verify: Bool
    /// What the digest is of, for the error message ("blob", "uncompressed layer (diff_id)").
    public let what: String
    public private(set) var computed: Digest?
    public private(set) var byteCount: Int64 = 0

    /// The size the descriptor gives, when known: a shorter stream is reported as truncated.
    public let expectedSize: Int64?

    public init(_ source: ByteStream, expected: Digest?, verify: Bool = true, what: String = "blob", expectedSize: Int64? = nil) {
        self.source = source
        self.expectedSize = expectedSize
        self.expected = expected
        self.verify = verify
        self.what = what
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if computed != nil { return 0 }
        let n = try source.read(into: buffer)
        if n > 0 {
            hasher!.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            byteCount += Int64(n)
            return n
        }
        let digest = hasher.take()!.finalizeDigest()
        computed = digest
        if verify, let expectedSize, expectedSize > 0, expectedSize != byteCount {
            throw StrataError(byteCount < expectedSize
                ? "\(what) is truncated: \(byteCount) of \(expectedSize) bytes (use --no-verify to read it anyway)"
                : "\(what) has \(byteCount) bytes, the descriptor says \(expectedSize) (use --no-verify to read it anyway)",
                layerDigest: expected)
        }
        if verify, let expected, expected.algorithm == "sha256", expected != digest {
            throw StrataError("\(what) digest mismatch: content hashes to \(digest), expected \(expected) (use --no-verify to read it anyway)",
                              layerDigest: expected)
        }
        return 0
    }
}
