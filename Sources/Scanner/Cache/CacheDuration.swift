import Foundation

/// Ages as `strata cache prune --older-than` takes them: a number and a unit.
public enum CacheDuration {
    /// `30d`, `12h`, `90m`, `45s`, `2w` (fractions allowed) → seconds; nil when malformed or negative.
    public static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let value = Double(trimmed.dropLast()), value >= 0, value.isFinite else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86_400
        case "w": return value * 604_800
        default: return nil
        }
    }
}
