import Foundation
import LayerIndex
import Scanner
import TermGrid

/// Small formatting helpers shared by the panes.
enum Format {
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(n) B" }
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : "\(Double(Int(value * 10)) / 10) \(units[unit])"
    }

    /// A build step as a person reads it: `RUN npm ci`, `COPY . /app`, `ENV API_KEY=…`.
    /// Recorded build arguments (`|2 A=1 B=2 …`) are left out: `buildArgs` shows them.
    static func step(_ createdBy: String?) -> String {
        guard let createdBy else { return "" }
        var s = BuildStep(createdBy).withoutArguments.trimmingCharacters(in: .whitespaces)
        if let r = s.range(of: "/bin/sh -c #(nop) ") {
            s = String(s[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        } else if let r = s.range(of: "/bin/sh -c ") {
            s = "RUN " + String(s[r.upperBound...])
        }
        if s.hasSuffix(" # buildkit") { s = String(s.dropLast(11)) }
        return s
    }

    /// The `ARG` values a builder recorded before the command: `|2 A=1 B=2 /bin/sh -c …`
    /// gives `A=1 B=2` (values may hold spaces: `BuildStep` knows where each ends).
    static func buildArgs(_ createdBy: String?) -> String? {
        guard let createdBy else { return nil }
        let args = BuildStep(createdBy).arguments.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        return args.isEmpty ? nil : args
    }

    static func stateGlyph(_ state: LayerScanState?, ascii: Bool) -> String {
        switch state {
        case .queued?, nil: return ascii ? "." : "·"
        case .scanning?: return ascii ? "~" : "◌"
        case .done?: return ascii ? "+" : "✓"
        case .cached?: return ascii ? "=" : "≡"
        case .failed?: return ascii ? "!" : "✗"
        }
    }

    static func status(_ f: Finding) -> String {
        switch f.status {
        case .present: return "present"
        case .removed: return f.removedInLayer.map { "removed in layer \($0)" } ?? "removed"
        case .overwritten: return f.removedInLayer.map { "overwritten in layer \($0)" } ?? "overwritten"
        case .config: return "config"
        case .history: return "history"
        }
    }

    static func location(_ f: Finding) -> String {
        let l = f.location
        switch l.source {
        case .layer, .file:
            var s = "L\(l.layer.map(String.init) ?? "?") \(l.path ?? "")"
            if let line = l.line ?? Optional(f.match.line) { s += ":\(line)" }
            return s
        case .config: return "config \(l.field ?? "")"
        case .history:
            let index = "history[\(l.historyIndex.map(String.init) ?? "?")]"
            return l.field.map { $0 == index ? index : index + " " + $0 } ?? index
        }
    }
}

/// Writes a row of segments into a grid, clipped to a rectangle's width.
struct RowWriter {
    var x: Int
    let y: Int
    let maxX: Int

    init(_ rect: Rect, y: Int) {
        self.x = rect.x
        self.y = y
        self.maxX = rect.maxX
    }

    mutating func write(_ text: String, _ role: Role, into grid: inout Grid) {
        guard x < maxX else { return }
        x += grid.put(text, x: x, y: y, role: role, maxWidth: maxX - x)
    }

    mutating func writeClean(_ text: String, _ role: Role, into grid: inout Grid) {
        guard x < maxX else { return }
        x += grid.putClean(text, x: x, y: y, role: role, maxWidth: maxX - x)
    }

    var remaining: Int { max(0, maxX - x) }
}
