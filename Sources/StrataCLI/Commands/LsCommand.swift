import ArgumentParser
import Foundation
import ImageSource
import LayerIndex
import Scanner

/// `strata ls IMAGE`: the files of one layer, its change set, the merged filesystem, or the
/// history-only set (content no longer visible in the final image).
struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List files: a layer's entries or changes, the merged filesystem, or what lives only in history.",
        discussion: """
        Without --layer: the final merged filesystem (--merged, the default), every layer's changes (--changes), \
        or every history-only file (--history-only). With --layer N: that layer's tar entries, its changes, \
        the filesystem as of that layer, or the history-only files that layer wrote. \
        A layer's listing names the build step that made it; secrets in it are redacted unless --show-secrets is given.
        """)

    @Argument(help: "The image to read.")
    var image: String

    @Option(help: "Layer index (0 = base layer).")
    var layer: Int?

    @Flag(help: "Show what the layer changed (added, modified, removed, opaque).")
    var changes = false

    @Flag(help: "Show the merged filesystem (as of --layer, default the final image).")
    var merged = false

    @Flag(name: .customLong("history-only"),
          help: "Show content present in some layer but not in the final image (removed or overwritten later).")
    var historyOnly = false

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var imageOptions: ImageOptions
    @OptionGroup var secretOptions: SecretOptions

    func validate() throws {
        if [changes, merged, historyOnly].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --changes, --merged, --history-only")
        }
        if let layer, layer < 0 { throw ValidationError("--layer must be 0 or more") }
    }

    struct FileRow: Encodable {
        var path: String
        var type: String
        var size: Int64
        var mode: String?
        var uid: Int?
        var gid: Int?
        var linkTarget: String?
        var sha256: String?
        var whiteout: String?
        var change: String?
        var layer: Int?
        var previousSize: Int64?
        var hidden: Int?
    }
    struct LayerListing: Encodable {
        var layer: Int
        /// The build step that made the layer (redacted unless `--show-secrets`); absent for
        /// the merged filesystem.
        var createdBy: String?
        var entries: [FileRow]
    }
    struct ChangesListing: Encodable {
        var layers: [LayerListing]
    }
    struct HistoryRow: Encodable {
        var path: String
        var layer: Int
        var removedInLayer: Int
        var reason: String
        var how: String?
        var type: String
        var size: Int64
        var sha256: String?
    }
    struct HistoryListing: Encodable {
        var entries: [HistoryRow]
    }

    func run() throws {
        let indexed = try ImageOpening.openAndIndex(image, options: imageOptions.sourceOptions)
        let count = indexed.info.layers.count
        if let layer, layer >= count {
            throw StrataError("no layer \(layer): the image has \(count) layers (0…\(count - 1))", image: image)
        }
        let stack = indexed.stack
        // Only the per-layer listings print build steps: redact them (never file paths).
        let needsSteps = !historyOnly && (changes || (layer != nil && !merged))
        let redactor = needsSteps ? try secretOptions.redactor(for: indexed.info) : TextRedactor(secrets: [])
        func step(_ index: Int) -> String? { redactor.redact(indexed.info.layers[index].createdBy) }
        if historyOnly {
            let rows = stack.historyOnly().filter { layer == nil || $0.layer == layer }.map { item in
                HistoryRow(path: item.path, layer: item.layer, removedInLayer: item.removedInLayer, reason: item.reason,
                           how: Self.how(item.fate), type: item.entry.type.rawValue, size: item.entry.size,
                           sha256: item.entry.sha256)
            }
            try emit(HistoryListing(entries: rows)) {
                var table: [[String]] = [["LAYER", "REMOVED IN", "REASON", "SIZE", "PATH"]]
                for r in rows {
                    table.append([String(r.layer), String(r.removedInLayer), r.how.map { "\(r.reason) (\($0))" } ?? r.reason,
                                  TextFormat.size(r.size), Sanitize.line(r.path)])
                }
                return rows.isEmpty ? "no history-only content: every file any layer wrote is in the final image"
                                    : TextFormat.table(table, rightAligned: [0, 1, 3])
            }
        } else if changes {
            let layers = layer.map { [$0] } ?? Array(0..<count)
            let listings = layers.map { li in
                LayerListing(layer: li, createdBy: step(li), entries: stack.changes[li].map { change in
                    var row = Self.row(change.entry)
                    row.change = change.kind.rawValue
                    row.previousSize = change.previous?.size
                    if change.kind == .removed || change.kind == .opaque { row.hidden = change.hiddenCount }
                    return row
                })
            }
            if let only = listings.first, layer != nil {
                try emit(only) { renderChanges([only]) }
            } else {
                try emit(ChangesListing(layers: listings)) { renderChanges(listings) }
            }
        } else if merged || layer == nil {
            let asOf = layer ?? (count - 1)
            let rows = count == 0 ? [] : stack.merged(asOf: asOf).map { item -> FileRow in
                var row = Self.row(item.entry)
                row.layer = item.layer
                return row
            }
            try emit(LayerListing(layer: asOf, entries: rows)) { renderFiles(rows, showLayer: true) }
        } else if let layer {
            let rows = indexed.results[layer].contents.entries.map(Self.row)
            let listing = LayerListing(layer: layer, createdBy: step(layer), entries: rows)
            try emit(listing) { Self.stepLine(listing) + "\n" + renderFiles(rows, showLayer: false) }
        }
        if ImageOpening.reportProblems(indexed) { throw ExitCode(2) }
    }

    private func emit<T: Encodable>(_ value: T, table: () -> String) throws {
        switch format {
        case .json: print(try TextFormat.json(value))
        case .table: print(table())
        }
    }

    static func how(_ fate: Fate) -> String? {
        if case .removed(_, let how) = fate {
            switch how {
            case .whiteout: return "whiteout"
            case .parentWhiteout: return "parent dir whiteout"
            case .opaque: return "opaque dir"
            case .parentReplaced: return "parent replaced"
            }
        }
        return nil
    }

    static func row(_ entry: Entry) -> FileRow {
        FileRow(path: entry.path, type: entry.type.rawValue, size: entry.size, mode: String(entry.mode, radix: 8),
                uid: entry.uid, gid: entry.gid, linkTarget: entry.linkTarget, sha256: entry.sha256,
                whiteout: entry.whiteout?.rawValue)
    }

    static func typeLetter(_ type: String, whiteout: String?) -> String {
        if whiteout != nil { return "w" }
        switch type {
        case "dir": return "d"
        case "symlink": return "l"
        case "hardlink": return "h"
        case "file": return "-"
        default: return "c"
        }
    }

    /// Sizes only for content-bearing entries (files and hard links).
    static func sizeText(_ row: FileRow) -> String {
        (row.type == "file" || row.type == "hardlink") && row.whiteout == nil ? TextFormat.size(row.size) : "-"
    }

    static func pathText(_ row: FileRow) -> String {
        var text = Sanitize.line(row.path.isEmpty ? "/" : row.path)
        if row.type == "dir" { text += "/" }
        if let link = row.linkTarget {
            text += (row.type == "hardlink" ? " => " : " -> ") + Sanitize.line(link)
        }
        return text
    }

    /// `layer N: <build step>`, the build step shortened to the terminal width.
    static func stepLine(_ listing: LayerListing) -> String {
        let head = "layer \(listing.layer): "
        return head + TextFormat.buildStep(listing.createdBy, width: max(20, TextFormat.terminalWidth - head.count))
    }

    func renderFiles(_ rows: [FileRow], showLayer: Bool) -> String {
        var table: [[String]] = [showLayer ? ["T", "MODE", "UID:GID", "SIZE", "LAYER", "PATH"] : ["T", "MODE", "UID:GID", "SIZE", "PATH"]]
        for r in rows {
            var cells = [Self.typeLetter(r.type, whiteout: r.whiteout), r.mode ?? "", "\(r.uid ?? 0):\(r.gid ?? 0)",
                         Self.sizeText(r)]
            if showLayer { cells.append(r.layer.map(String.init) ?? "") }
            cells.append(r.whiteout == "opaque" ? Self.pathText(r) + "  (opaque: hides lower content)"
                         : r.whiteout == "removal" ? Self.pathText(r) + "  (whiteout)" : Self.pathText(r))
            table.append(cells)
        }
        return TextFormat.table(table, rightAligned: showLayer ? [3, 4] : [3])
    }

    func renderChanges(_ listings: [LayerListing]) -> String {
        var out: [String] = []
        for listing in listings {
            if listings.count > 1 {
                out.append("layer \(listing.layer): \(listing.entries.count) changes  " + TextFormat.buildStep(listing.createdBy, width: max(20, TextFormat.terminalWidth - 24)))
            } else {
                out.append(Self.stepLine(listing))
            }
            var table: [[String]] = [["CHANGE", "T", "SIZE", "PATH"]]
            for r in listing.entries {
                var path = Self.pathText(r)
                if let hidden = r.hidden, hidden > 0 { path += "  (hides \(hidden) \(hidden == 1 ? "path" : "paths"))" }
                table.append([r.change ?? "", r.change == "removed" || r.change == "opaque" ? "w" : Self.typeLetter(r.type, whiteout: nil),
                              Self.sizeText(r), path])
            }
            if !listing.entries.isEmpty { out.append(TextFormat.table(table, rightAligned: [2])) }
        }
        return out.joined(separator: "\n")
    }
}
