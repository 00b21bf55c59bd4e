import Detection
import LayerIndex

/// Masks secrets in text an image carries about itself: history `created_by` steps, `Env` and
/// label values, `Cmd`/`Entrypoint`, history comments. Every output that shows such text runs
/// it through a redactor unless the user asked for secrets (`--show-secrets`, the explorer's
/// reveal key).
///
/// The secrets come from ``ConfigScanner`` (so the `|N NAME=value` build-argument prefix, `ENV`
/// and `ARG` steps and secret-looking names are judged exactly as `strata scan` judges them):
/// every value a rule recognised, plus the value of every secret-named build argument, `ENV`
/// name or label (`SecretNames`) that is not empty, a placeholder or a variable reference.
/// Each occurrence of such a value, in any field, is replaced by ``Redaction/preview(_:)``:
/// a value found in one place is masked everywhere, since build steps repeat build arguments.
public struct TextRedactor: Sendable {
    /// Values shorter than this are never masked: they would mangle ordinary text.
    public static let minimumLength = 4

    /// Raw value and its preview, longest first so a value containing another is masked whole.
    let replacements: [(secret: String, preview: String)]

    /// A redactor for the given raw secret values.
    public init<Values: Sequence>(secrets: Values) where Values.Element == String {
        var seen = Set<String>()
        var pairs: [(String, String)] = []
        for secret in secrets where secret.count >= Self.minimumLength && seen.insert(secret).inserted {
            pairs.append((secret, Redaction.preview(secret)))
        }
        replacements = pairs.sorted { $0.0.utf8.count != $1.0.utf8.count ? $0.0.utf8.count > $1.0.utf8.count : $0.0 < $1.0 }
    }

    /// A redactor for the raw values of `findings` (matches loaded from the cache carry none).
    public init(findings: [Finding]) {
        self.init(secrets: findings.compactMap(\.match.secret))
    }

    /// A redactor for every secret in `image`'s config and history, as `matcher` finds them.
    public init(image: ImageInfo, matcher: any ContentMatcher) {
        var secrets = ConfigScanner.scan(image, matcher: matcher).compactMap(\.match.secret)
        // Comments are free text a builder may fill from the command line: rules only.
        for step in image.config.history {
            for text in [step.comment, step.author].compactMap({ $0 }) where !text.isEmpty {
                secrets += matcher.scan(text: text, path: ConfigScanner.commandPath).compactMap(\.secret)
            }
        }
        self.init(secrets: secrets)
    }

    /// True when there is nothing to mask.
    public var isEmpty: Bool { replacements.isEmpty }

    /// How many distinct secret values are masked.
    public var count: Int { replacements.count }

    /// `text` with every known secret replaced by its preview, in one pass over the original
    /// text (a preview is never matched again).
    public func redact(_ text: String) -> String {
        guard !replacements.isEmpty, !text.isEmpty else { return text }
        // Spans to replace, chosen longest value first; overlapping shorter spans are dropped.
        var spans: [(range: Range<String.Index>, preview: String)] = []
        for (secret, preview) in replacements {
            var from = text.startIndex
            while from < text.endIndex, let found = text.range(of: secret, range: from..<text.endIndex) {
                if !spans.contains(where: { $0.range.overlaps(found) }) { spans.append((found, preview)) }
                from = found.upperBound
            }
        }
        guard !spans.isEmpty else { return text }
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
        var out = ""
        var position = text.startIndex
        for span in spans {
            out += text[position..<span.range.lowerBound]
            out += span.preview
            position = span.range.upperBound
        }
        out += text[position...]
        return out
    }

    /// `text` redacted, or nil for nil.
    public func redact(_ text: String?) -> String? {
        text.map { redact($0) }
    }

    /// A copy of `image` whose build steps (in the history and on each layer), `Env` and label
    /// values, `Cmd`, `Entrypoint` and history comments are redacted. Digests, names and label
    /// keys are kept, so the copy still describes the same image.
    public func redact(_ image: ImageInfo) -> ImageInfo {
        guard !replacements.isEmpty else { return image }
        var copy = image
        copy.config = redact(image.config)
        copy.layers = image.layers.map { layer in
            var l = layer
            l.createdBy = redact(layer.createdBy)
            return l
        }
        return copy
    }

    /// A copy of `config` with its text fields redacted (as `redact(_ image:)` does).
    public func redact(_ config: ImageConfig) -> ImageConfig {
        guard !replacements.isEmpty else { return config }
        var copy = config
        copy.env = config.env.map { entry in
            guard let eq = entry.firstIndex(of: "=") else { return entry }
            return String(entry[...eq]) + redact(String(entry[entry.index(after: eq)...]))
        }
        copy.labels = config.labels.mapValues { redact($0) }
        copy.cmd = config.cmd.map { $0.map { redact($0) } }
        copy.entrypoint = config.entrypoint.map { $0.map { redact($0) } }
        copy.history = config.history.map { step in
            var s = step
            s.createdBy = redact(step.createdBy)
            s.comment = redact(step.comment)
            s.author = redact(step.author)
            return s
        }
        return copy
    }
}
