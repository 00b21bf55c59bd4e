import Foundation
import LayerIndex

/// Text helpers for tables.
enum TextFormat {
    /// `1.2 MB`-style sizes (powers of 1000, like `docker images`); with `binary`, `1.2 MiB`-style
    /// (powers of 1024, one decimal: what the cache commands print).
    static func size(_ bytes: Int64, binary: Bool = false) -> String {
        let units = binary ? ["B", "KiB", "MiB", "GiB", "TiB"] : ["B", "kB", "MB", "GB", "TB"]
        let base: Double = binary ? 1024 : 1000
        var value = Double(bytes)
        var unit = 0
        while value >= base && unit < units.count - 1 {
            value /= base
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        return String(format: binary || value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }

    /// A build step made short for a table: shell boilerplate and `|N ARG=value` prefixes
    /// (build-arg values, often secrets) dropped, control characters escaped, cut to `width`.
    static func buildStep(_ createdBy: String?, width: Int) -> String {
        guard let createdBy, !createdBy.isEmpty else { return "-" }
        // The `|N K=V …` prefix (also BuildKit's `RUN |N …`, values with spaces) goes whole.
        var text = BuildStep(createdBy).withoutArguments
        if text.hasPrefix("/bin/sh -c #(nop) ") {
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
