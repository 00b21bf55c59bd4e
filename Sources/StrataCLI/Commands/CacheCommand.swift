import ArgumentParser
import Detection
import Foundation
import LayerIndex
import Scanner

/// `strata cache stats|prune|clear`: look after the persistent layer cache.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show, prune or clear the persistent layer cache.",
        discussion: """
            Layers are cached by diff_id (index entries) and diff_id + rule set (secret \
            fingerprints, positions and redacted previews; never raw secret values), so re-opening \
            an image, or another image sharing its base layers, reuses the work.
            """,
        subcommands: [Stats.self, Prune.self, Clear.self],
        defaultSubcommand: Stats.self
    )

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what the cache holds.")

        @OptionGroup var cacheOptions: CacheOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let stats = try cacheOptions.openRequired(for: "cache stats").stats()
            if json {
                print(try CacheCommand.json(stats))
                return
            }
            print("cache       \(Sanitize.line(stats.directory))")
            print("size        \(TextFormat.size(stats.bytesOnDisk, binary: true))")
            print("layers      \(stats.layers) (\(stats.entries) entries)")
            print("results     \(stats.layerResults) layer results over \(stats.rulesets) rule set(s), \(stats.matches) matches")
            print("images      \(stats.images) (\(stats.findings) findings recorded for `strata where`)")
            if let oldest = stats.oldestUse, let newest = stats.newestUse {
                print("last used   \(CacheCommand.date(oldest)) … \(CacheCommand.date(newest))")
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove layers not used and images not scanned for a while.")

        @OptionGroup var cacheOptions: CacheOptions
        @Option(name: .customLong("older-than"), help: ArgumentHelp(
            "Age, e.g. 30d, 12h, 90m, 2w.", valueName: "D"))
        var olderThan: String = "30d"
        @Flag(name: .customLong("other-rules"), help: "Also drop results made with rules other than the built-in ones (e.g. an older strata, or --config files).")
        var otherRules = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if CacheDuration.parse(olderThan) == nil {
                throw ValidationError("--older-than: expected a number and a unit (s, m, h, d, w), e.g. 30d; got '\(Sanitize.line(olderThan))'")
            }
        }

        func run() throws {
            let cache = try cacheOptions.openRequired(for: "cache prune")
            let keep = otherRules ? ScanPipeline.standard(detector: try Detector.standard()).rulesetKey : nil
            let result = try cache.prune(olderThan: CacheDuration.parse(olderThan)!, keepRuleset: keep)
            if json {
                print(try CacheCommand.json(result))
            } else {
                print("pruned \(result.layers) layer(s), \(result.layerResults) layer result(s), \(result.images) image record(s); "
                      + "\(TextFormat.size(result.bytesBefore, binary: true)) → \(TextFormat.size(result.bytesAfter, binary: true))")
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Empty the cache.")

        @OptionGroup var cacheOptions: CacheOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let result = try cacheOptions.openRequired(for: "cache clear").clear()
            if json {
                print(try CacheCommand.json(result))
            } else {
                print("cleared \(result.layers) layer(s), \(result.layerResults) layer result(s), \(result.images) image record(s); "
                      + "\(TextFormat.size(result.bytesBefore, binary: true)) → \(TextFormat.size(result.bytesAfter, binary: true))")
            }
        }
    }

    static func date(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
