import Foundation

/// A content digest such as `sha256:3f5a…`, as used by OCI descriptors and diff_ids.
public struct Digest: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let algorithm: String
    public let hex: String

    public init(algorithm: String = "sha256", hex: String) {
        self.algorithm = algorithm
        self.hex = hex.lowercased()
    }

    /// Parses `algorithm:hex`; nil when the text is not a well-formed digest.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let algorithm = String(text[..<colon])
        let hex = String(text[text.index(after: colon)...])
        guard !algorithm.isEmpty, !hex.isEmpty,
              algorithm.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "." || $0 == "_" || $0 == "-" }),
              hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        if algorithm == "sha256" && hex.count != 64 { return nil }
        self.init(algorithm: algorithm, hex: hex)
    }

    public var description: String { "\(algorithm):\(hex)" }
    /// The first 12 hex digits, as `docker images` shows them.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = Digest(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a digest: \(Sanitize.line(text))"))
        }
        self = digest
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
