import Detection
import LayerIndex

/// The state of one layer's job, as the explorer's layer pane shows it.
public enum LayerScanState: String, Codable, Sendable {
    case queued, scanning, done, cached, failed
}

/// One layer's results: its index entries and the secrets in its files, from one streaming pass.
public struct LayerResult: Sendable, Hashable {
    public var contents: LayerContents
    public var matches: [FileMatch]
    public var fromCache: Bool
    /// Uncompressed bytes streamed (0 when from the cache).
    public var bytesRead: Int64

    public init(contents: LayerContents, matches: [FileMatch], fromCache: Bool, bytesRead: Int64) {
        self.contents = contents
        self.matches = matches
        self.fromCache = fromCache
        self.bytesRead = bytesRead
    }
}

/// Live progress of a scan.
public struct ScanProgress: Sendable, Hashable {
    public var layersDone: Int
    public var layersTotal: Int
    /// Stored (compressed) bytes of finished layers, and of all layers.
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var bytesPerSecond: Double
    /// Seconds left at the current rate; nil until a rate is known.
    public var eta: Double?

    public init(layersDone: Int, layersTotal: Int, bytesDone: Int64, bytesTotal: Int64, bytesPerSecond: Double, eta: Double?) {
        self.layersDone = layersDone
        self.layersTotal = layersTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.bytesPerSecond = bytesPerSecond
        self.eta = eta
    }
}

/// The finished picture of an image: the stack, every finding with its status, and what failed.
public struct ScanReport: Sendable {
    public var image: ImageInfo
    public var stack: LayerStack
    public var findings: [Finding]
    public var failures: [StrataError]
    /// True when the scan was cancelled: layers not finished are empty in `stack`.
    public var cancelled: Bool

    public init(image: ImageInfo, stack: LayerStack, findings: [Finding], failures: [StrataError],
                cancelled: Bool = false) {
        self.image = image
        self.stack = stack
        self.findings = findings
        self.failures = failures
        self.cancelled = cancelled
    }
}

/// What the background scanner publishes. `strata scan` and the explorer consume the same
/// events, so the screen and CI never disagree. Layer events arrive in finishing order.
public enum ScanEvent: Sendable {
    /// Manifest and config read: enough to draw the layer list.
    case started(ImageInfo)
    case layerState(index: Int, state: LayerScanState)
    case layerDone(LayerResult)
    /// Findings in the config and history (statuses `config` and `history`).
    case configDone([Finding])
    case progress(ScanProgress)
    /// A layer (or the config) could not be read; other layers go on.
    case failed(StrataError)
    /// Every job is done (or the scan was cancelled): the full report.
    case completed(ScanReport)
}
