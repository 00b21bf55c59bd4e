import Detection
import Foundation
import ImageSource
import LayerIndex
import Reporting
@testable import Scanner
import TestSupport
import Testing

/// Counts how many times each layer is opened (that is, decompressed) through a real source.
final class CountingImageSource: ImageSource, @unchecked Sendable {
    let base: any ImageSource
    private let lock = NSLock()
    private var opened: [Int] = []

    init(_ base: any ImageSource) { self.base = base }

    var reference: String { base.reference }
    func loadInfo() throws -> ImageInfo { try base.loadInfo() }

    func openLayer(_ layer: LayerDescriptor) throws -> ByteStream {
        lock.lock()
        opened.append(layer.index)
        lock.unlock()
        return try base.openLayer(layer)
    }

    var openedLayers: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return opened.sorted()
    }

    static func open(_ reference: String) throws -> CountingImageSource {
        CountingImageSource(try ImageSources.open(reference))
    }
}

/// The standard pipeline (layer indexer + detection + finding builder) over the fixture images.
@Suite("Scanner on real images")
struct RealImageCacheTests {
    let detector: Detector

    init() throws { detector = try Detector.standard() }

    func scan(_ source: any ImageSource, cache: ScanCache?, workers: Int = 2, detector: Detector? = nil) throws -> ScanReport {
        try ImageScanner(source: source, detector: detector ?? self.detector, cache: cache,
                         options: .init(workers: workers)).runToCompletion().report
    }

    @Test("an OCI image sharing layers with a docker-archive already scanned decompresses only its own layers")
    func sharedLayersAcrossFormats() throws {
        let dir = TemporaryDirectory("strata-real")
        let cache = try ScanCache(directory: dir.url)
        let first = try CountingImageSource.open(Fixtures.dockerArchive("a-deleted-later-layer"))
        let firstInfo = try first.loadInfo()
        _ = try scan(first, cache: cache)
        #expect(first.openedLayers == Array(firstInfo.layers.indices))

        let second = try CountingImageSource.open(Fixtures.ociLayout("z-combined"))
        let info = try second.loadInfo()
        let known = Set(firstInfo.layers.map(\.diffID))
        let own = info.layers.filter { !known.contains($0.diffID) }.map(\.index)
        #expect(own.count < info.layers.count, "the fixtures share their base layer")
        let report = try scan(second, cache: cache)
        #expect(second.openedLayers == own)

        let uncached = try scan(try ImageSources.open(Fixtures.ociLayout("z-combined")), cache: nil)
        #expect(ReportDigest(report) == ReportDigest(uncached))
        #expect(!report.findings.isEmpty)

        let warm = try CountingImageSource.open(Fixtures.ociLayout("z-combined"))
        #expect(ReportDigest(try scan(warm, cache: cache)) == ReportDigest(uncached))
        #expect(warm.openedLayers.isEmpty)
    }

    @Test("the same report with 1 or 4 workers and a focus change mid-scan")
    func orderIndependenceOnRealImage() throws {
        let reference = Fixtures.dockerArchive("z-combined")
        let one = try scan(try ImageSources.open(reference), cache: nil, workers: 1)
        let scanner = ImageScanner(source: try ImageSources.open(reference), detector: detector, options: .init(workers: 4))
        scanner.start { event in
            if case .layerState(let index, .queued) = event { scanner.prioritize(layer: index) }
        }
        let four = try scanner.wait()
        #expect(ReportDigest(one) == ReportDigest(four))
        #expect(one.failures.isEmpty)
    }

    @Test("changing the rules re-streams every layer; the index is the same")
    func rulesChange() throws {
        let dir = TemporaryDirectory("strata-real")
        let cache = try ScanCache(directory: dir.url)
        let reference = Fixtures.dockerArchive("f-pkg-manager-creds")
        let standard = try scan(try ImageSources.open(reference), cache: cache)
        let fewer = try Detector(rules: BuiltinRules.all.filter { $0.id.hasPrefix("aws") })
        #expect(fewer.rulesetVersion != detector.rulesetVersion)
        let source = try CountingImageSource.open(reference)
        let other = try scan(source, cache: cache, detector: fewer)
        #expect(source.openedLayers == Array(try source.loadInfo().layers.indices))
        #expect(other.stack.layers.map(\.entries) == standard.stack.layers.map(\.entries))
        #expect(other.findings.count < standard.findings.count)
    }

    @Test("no raw secret from any fixture image reaches the cache files")
    func noRawSecretsFromFixtures() throws {
        let dir = TemporaryDirectory("strata-real")
        let cache = try ScanCache(directory: dir.url)
        var secrets = Set<String>()
        for name in Fixtures.imageNames {
            let report = try scan(try ImageSources.open(Fixtures.dockerArchive(name)), cache: cache)
            secrets.formUnion(report.findings.compactMap(\.match.secret).filter { $0.utf8.count >= 8 })
        }
        #expect(secrets.count >= 10)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        var contents = Data()
        for file in files { contents.append(try Data(contentsOf: dir.file(file))) }
        for secret in secrets {
            #expect(contents.range(of: Data(secret.utf8)) == nil, "the cache holds a raw secret (\(secret.prefix(4))…)")
        }
    }

    @Test("cold and warm scans print the same JSON, table and SARIF for every fixture image")
    func warmReportsMatchCold() throws {
        let dir = TemporaryDirectory("strata-real")
        let cache = try ScanCache(directory: dir.url)
        for name in Fixtures.imageNames {
            let reference = Fixtures.dockerArchive(name)
            let cold = try scan(try ImageSources.open(reference), cache: cache)
            let source = try CountingImageSource.open(reference)
            let warm = try scan(source, cache: cache)
            #expect(source.openedLayers.isEmpty, "\(name)")
            for format in ReportFormat.allCases {
                let render = { (report: ScanReport) in
                    String(decoding: format.render(ReportInput(target: .image(report.image), findings: report.findings,
                                                               failures: report.failures), colour: false), as: UTF8.self)
                }
                #expect(render(cold) == render(warm), "\(name) \(format)")
            }
        }
    }

    @Test("--show-secrets needs raw values: only cached layers with matches are streamed again")
    func revealSecrets() throws {
        let dir = TemporaryDirectory("strata-real")
        let cache = try ScanCache(directory: dir.url)
        let reference = Fixtures.dockerArchive("a-deleted-later-layer")
        let cold = try scan(try ImageSources.open(reference), cache: cache)
        let withMatches = Set(cold.findings.filter { $0.location.source == .layer }.compactMap(\.location.layer))
        #expect(!withMatches.isEmpty)
        let source = try CountingImageSource.open(reference)
        let report = try ImageScanner(source: source, detector: detector, cache: cache,
                                      options: .init(revealSecrets: true)).runToCompletion().report
        #expect(Set(source.openedLayers) == withMatches)
        #expect(report.findings.allSatisfy { $0.match.secret != nil })
        #expect(ReportDigest(report) == ReportDigest(cold))
    }
}
