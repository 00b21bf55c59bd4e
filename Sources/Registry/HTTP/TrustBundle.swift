import Foundation

/// The CA certificates curl is given when a registry's `certs.d` adds some: the system's bundle
/// (or `--ca-bundle`'s, `$SSL_CERT_FILE`) followed by the extra PEM files, built once per set of
/// files and handed to curl from memory (`CURLOPT_CAINFO_BLOB` replaces the default bundle, so the
/// system's must be in it for redirects to public storage to verify).
enum TrustBundle {
    /// Where Debian's (and curl's default) system bundle is.
    static let systemBundle = "/etc/ssl/certs/ca-certificates.crt"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: [[String]: [UInt8]] = [:]

    /// The PEM bytes for `extra` on top of `base` (the system bundle when nil); nil when no extra
    /// file could be read (curl then keeps its default trust).
    static func pem(base: String?, extra: [String]) -> [UInt8]? {
        let key = [base ?? systemBundle] + extra
        lock.lock()
        defer { lock.unlock() }
        if let known = built[key] { return known }
        let added = extra.compactMap { FileManager.default.contents(atPath: $0) }
        guard !added.isEmpty else { return nil }
        var bytes = FileManager.default.contents(atPath: base ?? systemBundle).map { Array($0) } ?? []
        for pem in added {
            if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
            bytes += Array(pem)
        }
        built[key] = bytes
        return bytes
    }
}
