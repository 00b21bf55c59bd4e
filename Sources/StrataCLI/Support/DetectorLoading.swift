import Detection
import Foundation
import LayerIndex

/// The detector a scanning command uses: the built-in rules, or a gitleaks/betterleaks TOML
/// file given with `--config` (which extends the built-in rules only when it says
/// `[extend] useDefault = true`).
enum DetectorLoading {
    /// With `cache` (unless `--no-cache`), the compiled keyword database is kept in the cache
    /// directory between runs.
    static func load(rulesFile: String?, cache: CacheOptions? = nil) throws -> Detector {
        let store = cache?.compiledDatabaseStore
        do {
            if let rulesFile {
                return try Detector.withCustomConfig(URL(fileURLWithPath: rulesFile), extendDefault: false, store: store)
            }
            return try Detector.standard(store: store)
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError("cannot load rules: \(error)", path: rulesFile)
        }
    }
}
