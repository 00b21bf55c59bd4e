import Detection
import ImageSource
import LayerIndex

/// What one layer's single streaming pass produced. When the stream broke part-way, `error`
/// says where and `contents` holds the entries read before it (the stack keeps them).
public struct LayerPassOutcome: Sendable {
    public var contents: LayerContents
    public var matches: [FileMatch]
    public var error: StrataError?

    public init(contents: LayerContents, matches: [FileMatch], error: StrataError? = nil) {
        self.contents = contents
        self.matches = matches
        self.error = error
    }
}

/// The work the scanner's jobs do, separated from the scheduling so the engine can be tested on
/// its own and `ImageScanner` never knows how a layer is parsed or how findings are built.
/// `ScanPipeline.standard(detector:)` wires the layer indexer, the detection engine and the
/// finding builder.
public struct ScanPipeline: Sendable {
    /// Names the rules and the analysis code: cached matches are reused only under the same key.
    public var rulesetKey: String
    /// Streams one layer once: index entries and matches together.
    public var scanLayer: @Sendable (LayerDescriptor, ByteStream) -> LayerPassOutcome
    /// Findings in the config and history.
    public var scanConfig: @Sendable (ImageInfo) -> [Finding]
    /// Turns the stack, the per-layer matches and the config findings into the report's findings.
    public var buildFindings: @Sendable (ImageInfo, LayerStack, [FileMatch], [Finding]) -> [Finding]

    public init(rulesetKey: String,
                scanLayer: @escaping @Sendable (LayerDescriptor, ByteStream) -> LayerPassOutcome,
                scanConfig: @escaping @Sendable (ImageInfo) -> [Finding],
                buildFindings: @escaping @Sendable (ImageInfo, LayerStack, [FileMatch], [Finding]) -> [Finding]) {
        self.rulesetKey = rulesetKey
        self.scanLayer = scanLayer
        self.scanConfig = scanConfig
        self.buildFindings = buildFindings
    }
}
