import Foundation
import ImageSource
import LayerIndex
import TestSupport
@testable import Registry

/// Options for tests: quick back-off, short stalls, so failures stay fast and bounded.
let testClientOptions = RegistryClientOptions(
    retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 0.2, maxRetryAfter: 5),
    http: HTTPOptions(connectTimeout: 5, stallTimeout: 10))

/// Reads a stream to its end, returning the byte count and sha256.
func drain(_ stream: ByteStream) throws -> (count: Int, digest: Digest) {
    var hasher = SHA256Hasher()
    var count = 0
    var buffer = [UInt8](repeating: 0, count: 32 * 1024)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
        if n == 0 { break }
        count += n
        buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
    return (count, hasher.finalizeDigest())
}

/// The diff_ids the fixture's truth file lists, in order.
func truthDiffIDs(_ fixture: String) throws -> [String] {
    let data = try Data(contentsOf: Fixtures.truth(fixture))
    let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    return (json["layers"] as! [[String: Any]]).map { $0["diff_id"] as! String }
}

/// Skips a test body cleanly when the registry tools are not installed (they are on CI).
func requireRegistryTools() -> Bool {
    LocalRegistry.available
}
