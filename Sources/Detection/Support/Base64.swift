import Foundation

/// Lenient base64 / base64url decoding of secret values.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var s = text.trimmingCharacters(in: .whitespaces)
        s = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        s = s.replacingOccurrences(of: "\\n", with: "").replacingOccurrences(of: "\n", with: "")
        while s.count % 4 != 0 { s += "=" }
        guard let data = Data(base64Encoded: s) else { return nil }
        return [UInt8](data)
    }

    static func decodeString(_ text: String) -> String? {
        guard let bytes = decode(text) else { return nil }
        return String(bytes: bytes, encoding: .utf8)
    }

    /// Printable ASCII (no control characters).
    static func isPrintable(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}
