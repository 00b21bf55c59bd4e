import Detection

/// What the file scanner needs from the detection engine: bytes and their path in, matches
/// out (line, column and offsets relative to the bytes given). The path lets the engine pick
/// a structured parser for credential files (`.npmrc`, `.aws/credentials`, `.netrc`, …).
public protocol ContentMatcher: Sendable {
    func scan(bytes: UnsafeRawBufferPointer, path: String) -> [Match]
}
