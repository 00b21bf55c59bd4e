import Detection
import Foundation
import LayerIndex

/// The detector a scanning command uses: the built-in rules, or a gitleaks/betterleaks TOML
/// file given with `--config` (which extends the built-in rules only when it says
/// `[extend] useDefault = true`).
enum DetectorLoading {
    static func load(rulesFile: String?) throws -> Detector {
        do {
            if let rulesFile {
                return try Detector.withCustomConfig(URL(fileURLWithPath: rulesFile), extendDefault: false)
            }
            return try Detector.standard()
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError("cannot load rules: \(error)", path: rulesFile)
        }
    }
}
