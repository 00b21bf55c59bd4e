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

    /// With `concurrent`, detection runs on a thread of its own while the layer is read (one
    /// layer's decompression and matching overlap); at most `limits.window * 2` bytes wait.
    public init(matcher: any ContentMatcher, layer: Int, limits: FileScanLimits = FileScanLimits(), concurrent: Bool = true) {
        self.layer = layer
        let box = MatchBox()
        let context = ScanContext(matcher: matcher, limits: limits) { path, match in
            box.matches.append(FileMatch(layer: layer, path: path, match: match))
        }
        if concurrent {
            context.queue = DetectionQueue(limit: limits.window * 2) { [unowned context] windows in
                for window in windows { window.scan(with: context) }
            }
        }
        self.context = context
        self.box = box
    }

    deinit { context.queue?.close() }

    private let box: MatchBox

    /// Everything found in the files given so far, in the order files came in the layer
    /// (waits for detection to catch up).
    public var matches: [FileMatch] {
        context.queue?.drain()
        return box.matches
    }

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
