import Detection

/// What the image-aware scanner needs from the detection engine. Bytes and their path in,
/// matches out (line, column and offsets relative to the bytes given); the path lets the
/// engine pick a structured parser for credential files (`.npmrc`, `.aws/credentials`, …).
/// For the config and history, it also judges names and values on their own: `ENV
/// DB_PASSWORD=…` is a secret even when the value has no recognisable format.
public protocol ContentMatcher: Sendable {
    func scan(bytes: UnsafeRawBufferPointer, path: String) -> [Match]
    /// True when a variable or label name suggests a secret (`*_TOKEN`, `*_KEY`, `PASSWORD`, `*_PSW`, …).
    func looksSecret(name: String) -> Bool
    /// A lower-confidence generic finding for `value` assigned to a secret-looking `name`, or nil
    /// when the value is empty, a placeholder (`changeme`, `${VAR}`, `<token>`) or a reference.
    func genericSecret(name: String, value: String) -> Match?
}

extension ContentMatcher {
    /// Scans a string (config values, history text).
    public func scan(text: String, path: String) -> [Match] {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { scan(bytes: UnsafeRawBufferPointer($0), path: path) }
    }
}
