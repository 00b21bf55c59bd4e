import Detection
import Foundation
import ImageSource
import LayerIndex
import Scanner

/// Connects the explorer to the background scanner: one streaming pass per layer (index and
/// detection together), config and history findings, findings built on the stack.
public enum ScanWiring {
    /// The standard pipeline for a detector.
    public static func pipeline(detector: Detector, image: String?) -> ScanPipeline {
        ScanPipeline(
            rulesetKey: detector.rulesetVersion,
            scanLayer: { layer, stream in
                let scanner = LayerFileScanner(detector: detector, layer: layer.index)
                do {
                    let contents = try LayerIndexer(image: image).index(stream: stream, layer: layer, visitor: scanner)
                    var withProblems = contents
                    withProblems.problems += scanner.problems
                    return LayerPassOutcome(contents: withProblems, matches: scanner.matches)
                } catch let failure as LayerReadError {
                    return LayerPassOutcome(contents: failure.partial, matches: scanner.matches, error: failure.error)
                } catch let error as StrataError {
                    return LayerPassOutcome(contents: LayerContents(layer: layer, entries: []), matches: scanner.matches,
                                            error: error.with(image: image, layer: layer.index, layerDigest: layer.digest))
                } catch {
                    return LayerPassOutcome(contents: LayerContents(layer: layer, entries: []), matches: scanner.matches,
                                            error: StrataError("\(error)", image: image, layer: layer.index, layerDigest: layer.digest))
                }
            },
            scanConfig: { ConfigScanner.scan($0, detector: detector) },
            buildFindings: { info, stack, matches, config in
                FindingBuilder.build(image: info, stack: stack, layerMatches: matches, configFindings: config)
            })
    }

    /// A producer that runs the background scanner and forwards its events. The scanner is
    /// returned too, so the caller can prioritise the layer on screen or cancel on quit.
    public static func producer(source: ImageSource, detector: Detector, cache: ScanCache?) -> (ImageScanner, ScanProducer) {
        let scanner = ImageScanner(source: source, pipeline: pipeline(detector: detector, image: source.reference), cache: cache)
        let producer: ScanProducer = { emit in scanner.start(onEvent: emit) }
        return (scanner, producer)
    }
}
