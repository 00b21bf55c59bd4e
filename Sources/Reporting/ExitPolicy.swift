import Detection
import LayerIndex
import Scanner

/// The exit code of `strata scan`, decided in one place.
///
/// - 2 when anything could not be read (a corrupt layer, an unreadable file), even if findings
///   were reported: an incomplete scan must not pass a CI gate as clean, and the errors are
///   printed next to whatever was found in the rest of the image;
/// - 1 when a finding (not in the baseline) is at or above the `--fail-on` severity;
/// - 0 otherwise.
public enum ExitPolicy {
    /// The `--fail-on` threshold: a severity, or `none` to never fail on findings.
    public enum Threshold: Sendable, Hashable {
        case severity(Severity)
        case none

        public init?(_ text: String) {
            if text.lowercased() == "none" || text.lowercased() == "never" { self = .none; return }
            guard let s = Severity(rawValue: text.lowercased()) else { return nil }
            self = .severity(s)
        }
    }

    public static func code(findings: [Finding], failures: [StrataError], failOn: Threshold) -> Int32 {
        if !failures.isEmpty { return 2 }
        guard case .severity(let threshold) = failOn else { return 0 }
        return findings.contains { $0.severity >= threshold } ? 1 : 0
    }
}
