import Detection
import Foundation
import ImageSource
import LayerIndex
@testable import Scanner

/// An in-memory image for engine tests: each layer is a text "tar" of `path<TAB>content` lines.
/// Counts how many times each layer is opened (that is, decompressed) and can slow reads down.
final class MemoryImageSource: ImageSource, @unchecked Sendable {
    let reference: String
    let layers: [[UInt8]]
    let lock = NSLock()
    private var openCounts: [Int: Int] = [:]
    /// Sleep this long (per layer) before each read of `chunk` bytes.
    var readDelay: [Int: Double] = [:]
    var chunk = 64
    /// Layers whose stream throws after its first chunk.
    var brokenLayers: Set<Int> = []
    var infoError: StrataError?

    init(reference: String, layers: [String]) {
        self.reference = reference
        self.layers = layers.map { Array($0.utf8) }
    }

    var descriptors: [LayerDescriptor] {
        layers.enumerated().map { index, bytes in
            let digest = Digest(hex: SHA256Hasher.hex(of: bytes))
            return LayerDescriptor(index: index, digest: digest, diffID: digest, size: Int64(bytes.count),
                                   mediaType: "test", compression: .none, createdBy: "ADD layer\(index)", historyIndex: index)
        }
    }

    func loadInfo() throws -> ImageInfo {
        if let infoError { throw infoError }
        let layers = descriptors
        let config = ImageConfig(env: ["PATH=/bin"], diffIDs: layers.map(\.diffID))
        return ImageInfo(reference: reference, format: "test", manifestDigest: nil,
                         configDigest: Digest(hex: SHA256Hasher.hex(of: Array(reference.utf8))), config: config, layers: layers)
    }

    func openLayer(_ layer: LayerDescriptor) throws -> ByteStream {
        lock.lock()
        openCounts[layer.index, default: 0] += 1
        let delay = readDelay[layer.index] ?? 0
        lock.unlock()
        return MemoryStream(bytes: layers[layer.index], chunk: chunk, delay: delay, breaks: brokenLayers.contains(layer.index))
    }

    func opens(_ layer: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return openCounts[layer] ?? 0
    }

    var totalOpens: Int {
        lock.lock()
        defer { lock.unlock() }
        return openCounts.values.reduce(0, +)
    }
}

final class MemoryStream: ByteStream {
    let bytes: [UInt8]
    let chunk: Int
    let delay: Double
    let breaks: Bool
    var offset = 0

    init(bytes: [UInt8], chunk: Int, delay: Double, breaks: Bool) {
        self.bytes = bytes
        self.chunk = chunk
        self.delay = delay
        self.breaks = breaks
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        if breaks && offset > 0 { throw StrataError("unexpected end of gzip stream") }
        let count = min(chunk, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes[offset..<offset + count].withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        offset += count
        return count
    }
}

/// A pipeline over `MemoryImageSource` layers: every line is a file; a `SECRET-…` word in it is a
/// match carrying the raw secret (so tests can check the cache strips it). `beforeLayer` runs at
/// the start of each layer job (delays, gates).
enum TestPipeline {
    static func make(ruleset: String = "rules-1",
                     beforeLayer: (@Sendable (Int) -> Void)? = nil) -> ScanPipeline {
        ScanPipeline(
            rulesetKey: ruleset,
            scanLayer: { layer, stream in
                beforeLayer?(layer.index)
                var data = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 4096)
                do {
                    while true {
                        let n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
                        if n == 0 { break }
                        data.append(contentsOf: buffer[0..<n])
                    }
                } catch {
                    let parsed = parse(data, layer: layer.index)
                    return LayerPassOutcome(contents: LayerContents(layer: layer, entries: parsed.entries),
                                            matches: parsed.matches, error: error as? StrataError)
                }
                let parsed = parse(data, layer: layer.index)
                return LayerPassOutcome(contents: LayerContents(layer: layer, entries: parsed.entries), matches: parsed.matches)
            },
            scanConfig: { info in
                info.config.env.filter { $0.contains("SECRET-") }.map { env in
                    let secret = String(env.split(separator: "=")[1])
                    return Finding(match: match(secret, line: 1, column: 1, start: 0), status: .config,
                                   location: FindingLocation(source: .config, field: "Env"), remediation: "inject at runtime")
                }
            },
            buildFindings: { _, stack, matches, config in
                config + matches.map { fileMatch in
                    let fate = stack.fate(of: fileMatch.path, inLayer: fileMatch.layer)
                    return Finding(match: fileMatch.match, status: fate.isPresent ? .present : .overwritten,
                                   removedInLayer: fate.layer,
                                   location: FindingLocation(source: .layer, layer: fileMatch.layer, path: fileMatch.path,
                                                             line: fileMatch.match.line, column: fileMatch.match.column),
                                   remediation: "remove it")
                }
            })
    }

    static func parse(_ data: [UInt8], layer: Int) -> (entries: [Entry], matches: [FileMatch]) {
        var entries: [Entry] = []
        var matches: [FileMatch] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let content = Array(parts[1].utf8)
            entries.append(Entry(path: parts[0], type: .file, size: Int64(content.count), sha256: SHA256Hasher.hex(of: content)))
            if let range = parts[1].range(of: #"SECRET-[A-Za-z0-9]+"#, options: .regularExpression) {
                let secret = String(parts[1][range])
                let start = parts[1].utf8.distance(from: parts[1].startIndex, to: range.lowerBound)
                matches.append(FileMatch(layer: layer, path: parts[0], match: match(secret, line: 1, column: start + 1, start: start)))
            }
        }
        return (entries, matches)
    }

    static func match(_ secret: String, line: Int, column: Int, start: Int) -> Match {
        Match(rule: "test-secret", title: "Test secret", kind: "test", severity: .high, confidence: .high,
              line: line, column: column, start: start, end: start + secret.utf8.count, secret: secret,
              fingerprint: ScanCache.fingerprint(ofSecret: Array(secret.utf8)),
              preview: String(secret.prefix(7)) + "****")
    }
}

/// Report comparison that ignores nothing that matters: findings, failures, every layer's entries.
struct ReportDigest: Equatable {
    var findings: [Finding]
    var failures: [StrataError]
    var entries: [[Entry]]

    init(_ report: ScanReport) {
        findings = report.findings.map { var f = $0; f.match.secret = nil; return f }
        failures = report.failures
        entries = report.stack.layers.map(\.entries)
    }
}

extension ScanEvent {
    var layerDoneIndex: Int? {
        if case .layerDone(let result) = self { return result.contents.layer.index }
        return nil
    }
}

/// Four small layers with secrets, a delete, and a shared base for the two-image tests.
enum SampleLayers {
    static let base = "etc/os-release\tID=test\nroot/.env\tTOKEN=SECRET-base0001\n"
    static let app = "app/config\tkey SECRET-app00002 here\napp/main\tbinary\n"
    static let cleanup = "tmp/x\tnothing\n"
    static let extra = "srv/data\tSECRET-extra003\nsrv/more\tplain\n"
    static let other = "opt/tool\tSECRET-other004\n"
}
