import CCrypto
import Foundation

/// Incremental SHA-256 over OpenSSL's libcrypto (hardware-accelerated where the CPU allows).
public struct SHA256Hasher: ~Copyable {
    private var context = SHA256_CTX()

    public init() { SHA256_Init(&context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        SHA256_Update(&context, base, bytes.count)
    }

    public mutating func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes the hash and returns the lowercase hex digest.
    public consuming func finalizeHex() -> String {
        var out = [UInt8](repeating: 0, count: 32)
        SHA256_Final(&out, &context)
        return SHA256Hasher.hexEncode(out)
    }

    public consuming func finalizeDigest() -> Digest { Digest(hex: finalizeHex()) }

    /// One-shot hash of some bytes, as hex.
    public static func hex(of bytes: some ContiguousBytes) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// Lowercase hex of raw bytes (not a hash: see `hex(of:)`).
    static func hexEncode(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
