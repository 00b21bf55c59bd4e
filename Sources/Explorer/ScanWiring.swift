import Detection
import Foundation
import ImageSource
import LayerIndex
import Scanner

/// Connects the explorer to the background scanner (`ScanPipeline.standard`: one streaming pass
/// per layer, index and detection together; config and history findings; findings on the stack).
public enum ScanWiring {
    /// A producer that runs the background scanner and forwards its events. The scanner is
    /// returned too, so the caller can prioritise the layer on screen or cancel on quit.
    public static func producer(source: ImageSource, detector: Detector, cache: ScanCache?) -> (ImageScanner, ScanProducer) {
        let scanner = ImageScanner(source: source, pipeline: .standard(detector: detector, image: source.reference), cache: cache)
        let producer: ScanProducer = { emit in scanner.start(onEvent: emit) }
        return (scanner, producer)
    }
}
