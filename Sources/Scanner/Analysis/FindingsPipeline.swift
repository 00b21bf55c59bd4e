import Detection
import ImageSource
import LayerIndex

extension ScanPipeline {
    /// The analysis this module contributes to the background scanner: each layer streamed once
    /// through the indexer with a `LayerFileScanner` riding on it, the config and history through
    /// `ConfigScanner`, and the stack turned into findings by `FindingBuilder`.
    public static func findings(detector: Detector, image: String? = nil) -> ScanPipeline {
        ScanPipeline(
            rulesetKey: detector.rulesetVersion + "+analysis:\(FindingsAnalysis.version)",
            scanLayer: { layer, stream in
                let visitor = LayerFileScanner(detector: detector, layer: layer.index)
                do {
                    var contents = try LayerIndexer(image: image).index(stream: stream, layer: layer, visitor: visitor)
                    contents.problems += visitor.problems.map(Sanitize.line)
                    return LayerPassOutcome(contents: contents, matches: visitor.matches)
                } catch let error as LayerReadError {
                    return LayerPassOutcome(contents: error.partial, matches: visitor.matches, error: error.error)
                } catch {
                    return LayerPassOutcome(contents: LayerContents(layer: layer, entries: []), matches: visitor.matches,
                                            error: StrataError("\(error)", image: image, layer: layer.index, layerDigest: layer.digest))
                }
            },
            scanConfig: { ConfigScanner.scan($0, detector: detector) },
            buildFindings: { FindingBuilder.build(image: $0, stack: $1, layerMatches: $2, configFindings: $3) })
    }
}

/// Bumped when the file analysis changes what it finds (archive handling, windows), so cached
/// layer matches from an older analysis are not reused.
public enum FindingsAnalysis {
    public static let version = 1
}
