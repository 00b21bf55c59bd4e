import Detection
import Foundation

/// The shared Detection engine behind lint's `LintSecretEngine`: the same rules, name
/// heuristics and redaction as `strata scan`, so a Dockerfile and the image it builds are
/// judged alike.
///
/// Lint adds the structural assignments of its built-in rules (`password: value` in config
/// files, `user:password@` URLs, `.netrc`, npm `_authToken=`) where Detection reports nothing
/// overlapping: a Dockerfile review must not miss the config file whose password a later
/// `sed -i` hides (fixture e). Token-format rules come from Detection alone, checksums included.
public struct DetectionSecretEngine: LintSecretEngine, @unchecked Sendable {
    public let detector: Detector
    let supplement = BuiltinSecretEngine(only: ["generic-password", "url-credentials", "netrc-password", "npm-auth-token"])

    public init(detector: Detector) { self.detector = detector }

    /// The standard rule set, compiled once per process.
    public static func standard() throws -> DetectionSecretEngine {
        try DetectorCache.shared.get()
    }

    public func scan(text: String, path: String) -> [Match] {
        var matches = detector.scan(text: text, path: path)
        for extra in supplement.scan(text: text, path: path)
        where !matches.contains(where: { $0.start < extra.end && extra.start < $0.end || $0.secret == extra.secret }) {
            var adjusted = extra
            adjusted.preview = Redaction.preview(extra.secret ?? "")
            matches.append(adjusted)
        }
        return matches.sorted { $0.start < $1.start }
    }
    public func looksSecret(name: String) -> Bool { SecretNames.looksSecret(name) }
    public func preview(_ secret: String) -> String { Redaction.preview(secret) }
}

/// Compiling the rule set costs more than linting a Dockerfile: keep one per process.
final class DetectorCache: @unchecked Sendable {
    static let shared = DetectorCache()
    private let lock = NSLock()
    private var engine: DetectionSecretEngine?

    func get() throws -> DetectionSecretEngine {
        lock.lock()
        defer { lock.unlock() }
        if let engine { return engine }
        let made = DetectionSecretEngine(detector: try Detector.standard())
        engine = made
        return made
    }
}
