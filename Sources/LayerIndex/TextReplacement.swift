import Foundation

/// Replaces several strings in a text in one pass: each value by its replacement, longest
/// value first, overlapping shorter occurrences left alone, and a replacement never searched
/// again. What every secret masker needs: a short secret must not match inside the preview
/// written for a longer one (`npm_****…(40 chars)` and a secret `chars`).
public struct TextReplacement: Sendable {
    /// Value and replacement, longest value first (ties by value, so the order is stable).
    public let pairs: [(value: String, replacement: String)]

    /// Empty values are dropped; of repeated values the first pair is kept.
    public init<Pairs: Sequence>(_ pairs: Pairs) where Pairs.Element == (String, String) {
        var seen = Set<String>()
        var kept: [(String, String)] = []
        for (value, replacement) in pairs where !value.isEmpty && seen.insert(value).inserted {
            kept.append((value, replacement))
        }
        self.pairs = kept.sorted { $0.0.utf8.count != $1.0.utf8.count ? $0.0.utf8.count > $1.0.utf8.count : $0.0 < $1.0 }
    }

    public var isEmpty: Bool { pairs.isEmpty }

    /// `text` with every occurrence of a value replaced, in one pass over the original text.
    public func apply(_ text: String) -> String {
        guard !pairs.isEmpty, !text.isEmpty else { return text }
        // Spans to replace, chosen longest value first; overlapping shorter spans are dropped.
        var spans: [(range: Range<String.Index>, replacement: String)] = []
        for (value, replacement) in pairs {
            var from = text.startIndex
            while from < text.endIndex, let found = text.range(of: value, range: from..<text.endIndex) {
                if !spans.contains(where: { $0.range.overlaps(found) }) { spans.append((found, replacement)) }
                from = found.upperBound
            }
        }
        guard !spans.isEmpty else { return text }
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
        var out = ""
        var position = text.startIndex
        for span in spans {
            out += text[position..<span.range.lowerBound]
            out += span.replacement
            position = span.range.upperBound
        }
        out += text[position...]
        return out
    }
}
