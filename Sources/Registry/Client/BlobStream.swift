import Foundation
import ImageSource
import LayerIndex

/// A blob pulled from the registry as a `ByteStream`: never buffered whole, its sha256 and size
/// checked at the end (a mismatch is one error naming the blob). A connection cut mid-blob is
/// resumed with `Range: bytes=N-` when the server honours it, else the blob is fetched again
/// and the bytes already delivered are skipped; both bounded by the retry policy.
public final class BlobStream: ByteStream {
    public let digest: Digest
    public let expectedSize: Int64?
    private let client: RegistryClient
    private let repository: String
    private let verify: Bool
    private let image: String
    private var body: HTTPBody?
    private var hasher: SHA256Hasher? = SHA256Hasher()
    private var finished = false
    /// Bytes delivered so far.
    public private(set) var offset: Int64 = 0
    /// How many times the transfer was resumed after a cut.
    public private(set) var resumes = 0

    public init(client: RegistryClient, repository: String, digest: Digest, expectedSize: Int64?,
                verify: Bool = true, image: String) {
        self.client = client
        self.repository = repository
        self.digest = digest
        self.expectedSize = expectedSize
        self.verify = verify
        self.image = image
    }

    deinit { body?.close() }

    private func error(_ message: String) -> StrataError {
        StrataError(message, image: image, layerDigest: digest)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished { return 0 }
        var failures = 0
        while true {
            let n: Int
            do {
                if body == nil { try open() }
                n = try body!.read(into: buffer)
            } catch let cut as HTTPTransportError {
                body = nil
                failures += 1
                guard failures < client.options.retry.maxAttempts else {
                    throw error("blob transfer failed after \(offset) bytes: \(cut.message)")
                }
                resumes += 1
                Thread.sleep(forTimeInterval: client.options.retry.delay(afterAttempt: failures))
                continue
            } catch let failure as StrataError {
                body = nil
                if offset > 0 {
                    throw error("blob transfer failed after \(offset) bytes: \(failure.message)")
                }
                throw failure.with(image: image, layerDigest: digest)
            }
            if n == 0 {
                try finish()
                return 0
            }
            offset += Int64(n)
            if let expectedSize, offset > expectedSize, verify {
                throw error("blob is larger than the \(expectedSize) bytes its descriptor says")
            }
            hasher?.update(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
            return n
        }
    }

    private func finish() throws {
        finished = true
        body = nil
        guard verify else { return }
        if let expectedSize, offset != expectedSize {
            throw error("blob ended after \(offset) of \(expectedSize) bytes")
        }
        guard digest.algorithm == "sha256", let hasher = hasher.take() else { return }
        let actual = hasher.finalizeDigest()
        if actual != digest {
            throw error("blob content does not match its digest (got \(actual))")
        }
    }

    /// (Re)opens the transfer at `offset`.
    private func open() throws {
        var headers = HTTPHeaders()
        if offset > 0 { headers.set("Range", "bytes=\(offset)-") }
        let response = try client.request("/v2/\(repository)/blobs/\(digest)", scope: RegistryClient.pullScope(repository),
                                          headers: headers)
        switch response.status {
        case 200:
            // Whole blob again: skip what was already delivered.
            if offset > 0 { try skip(response.body, count: offset) }
        case 206:
            let range = response.headers["Content-Range"] ?? ""
            guard range.hasPrefix("bytes \(offset)-") else {
                response.body.close()
                throw error("registry resumed the blob at the wrong place (\(Sanitize.line(range)))")
            }
        default:
            throw client.failure(response, what: "blob").with(image: image, layerDigest: digest)
        }
        body = response.body
    }

    private func skip(_ body: HTTPBody, count: Int64) throws {
        var remaining = count
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while remaining > 0 {
            let want = Int(min(Int64(scratch.count), remaining))
            let n = try scratch.withUnsafeMutableBytes { try body.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
            if n == 0 { throw error("blob ended early while resuming at \(count) bytes") }
            remaining -= Int64(n)
        }
    }
}
