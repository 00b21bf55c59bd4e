import Detection
import ImageSource
import LayerIndex

/// Finds secrets in the files of one layer during its single streaming pass: the indexer
/// calls `beginFile` for each regular file and the returned sink receives its content.
/// Text is scanned in bounded windows, archives (`.gz`, `.tar`, `.tgz`, `.zip`, `.jar`,
/// `.whl`, …) are opened to a depth limit, binaries are skipped by their content.
/// Use one instance per layer, on one thread.
public final class LayerFileScanner: LayerVisitor {
    public let layer: Int
    private let context: ScanContext
    private var found: [FileMatch] = []

    public init(matcher: any ContentMatcher, layer: Int, limits: FileScanLimits = FileScanLimits()) {
        self.layer = layer
        let box = MatchBox()
        context = ScanContext(matcher: matcher, limits: limits) { path, match in
            box.matches.append(FileMatch(layer: layer, path: path, match: match))
        }
        self.box = box
    }

    private let box: MatchBox

    /// Everything found so far, in the order files came in the layer.
    public var matches: [FileMatch] { box.matches }

    /// Archives that could not be fully expanded (corrupt, over the limits); the rest of the
    /// layer is scanned regardless.
    public var problems: [String] { context.problems }

    public func beginFile(_ entry: Entry) -> FileContentSink? {
        guard entry.type == .file, entry.size > 0, entry.whiteout == nil else { return nil }
        let budget = ExpansionBudget(bytes: context.limits.maxExpandedBytes, members: context.limits.maxMembers)
        return FileSinkAdapter(FileScan(context: context, path: entry.path, depth: 0, budget: budget))
    }
}

/// Matches collected by the closures of one scan.
final class MatchBox {
    var matches: [FileMatch] = []
}

/// Connects a file scan to the layer reader's sink protocol.
final class FileSinkAdapter: FileContentSink {
    let scan: FileScan

    init(_ scan: FileScan) { self.scan = scan }

    func consume(_ bytes: UnsafeRawBufferPointer) { scan.write(bytes) }
    func finish(_ entry: Entry) { scan.close() }
}
