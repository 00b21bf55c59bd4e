import Foundation
import LayerIndex

/// Text helpers for tables.
enum TextFormat {
    /// `1.2 MB`-style sizes (powers of 1000, like `docker images`).
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }

    /// A build step made short for a table: shell boilerplate and `|N ARG=value` prefixes
    /// (build-arg values, often secrets) dropped, control characters escaped, cut to `width`.
    static func buildStep(_ createdBy: String?, width: Int) -> String {
        guard var text = createdBy, !text.isEmpty else { return "-" }
        if text.hasPrefix("|"), let shell = text.range(of: "/bin/sh -c ") {
            text = "RUN " + text[shell.upperBound...]
        } else if text.hasPrefix("/bin/sh -c #(nop) ") {
            text = String(text.dropFirst("/bin/sh -c #(nop) ".count))
        } else if text.hasPrefix("/bin/sh -c ") {
            text = "RUN " + text.dropFirst("/bin/sh -c ".count)
        } else if text.hasPrefix("RUN /bin/sh -c ") {
            text = "RUN " + text.dropFirst("RUN /bin/sh -c ".count)
        }
        text = text.trimmingCharacters(in: .whitespaces)
        return truncate(Sanitize.line(text), width)
    }

    static func truncate(_ text: String, _ width: Int) -> String {
        guard width > 1, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// Pads columns to equal widths; the last column is left unpadded.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                if i == row.count - 1 && !rightAligned.contains(i) { return cell }
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Terminal width from `COLUMNS`, else 120.
    static var terminalWidth: Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text), n > 20 { return n }
        return 120
    }

    /// Encodes JSON with stable key order and no escaped slashes.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
