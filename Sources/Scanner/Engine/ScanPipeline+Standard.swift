import Detection
import ImageSource
import LayerIndex

extension ScanPipeline {
    /// The version of what a layer job does beyond the rules (file sniffing, archive expansion,
    /// credential-file parsing in `LayerFileScanner`). Part of the cache key, so bump it whenever
    /// a change there can change the matches found in the same bytes.
    public static let analysisVersion = "strata-layer-analysis-2"  // 2: UTF-16 text is decoded and scanned

    /// The real pipeline: each layer job runs the `LayerIndexer` with a `LayerFileScanner` riding
    /// on the same pass; the config job runs the `ConfigScanner`; findings come from the
    /// `FindingBuilder`. Cached matches are reused only under the same detector rules and analysis.
    public static func standard(detector: Detector, image: String? = nil) -> ScanPipeline {
        ScanPipeline(
            rulesetKey: "\(detector.rulesetVersion)/\(analysisVersion)",
            scanLayer: { layer, stream in
                let visitor = LayerFileScanner(detector: detector, layer: layer.index)
                do {
                    // Decompression and digests run ahead on their own thread (as LayerIndexer does for a source).
                    var contents = try LayerIndexer(image: image).index(stream: PrefetchStream(stream), layer: layer, visitor: visitor)
                    contents.problems += visitor.problems
                    return LayerPassOutcome(contents: contents, matches: visitor.matches)
                } catch let failure as LayerReadError {
                    return LayerPassOutcome(contents: failure.partial, matches: visitor.matches, error: failure.error)
                } catch {
                    let failure = (error as? StrataError) ?? StrataError(String(describing: error))
                    return LayerPassOutcome(contents: LayerContents(layer: layer, entries: []), matches: visitor.matches,
                                            error: failure)
                }
            },
            scanConfig: { info in ConfigScanner.scan(info, detector: detector) },
            buildFindings: { info, stack, matches, config in
                FindingBuilder.build(image: info, stack: stack, layerMatches: matches, configFindings: config)
            })
    }
}

extension ImageScanner {
    /// A scanner with the standard pipeline over `detector` (usually `Detector.standard()`).
    public convenience init(source: ImageSource, detector: Detector, cache: ScanCache? = nil, options: Options = Options(),
                            info: ImageInfo? = nil) {
        self.init(source: source, pipeline: .standard(detector: detector, image: source.reference), cache: cache,
                  options: options, info: info)
    }
}
