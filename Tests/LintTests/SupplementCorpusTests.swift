import Foundation
import Testing
import TestSupport
@testable import Lint

/// Lint's structural rules run next to Detection (config-file passwords, URL credentials):
/// on the labelled secrets corpus they must not land on a line the truth calls a non-secret.
@Suite struct SupplementCorpusTests {
    @Test func supplementStaysOffLabelledNegatives() throws {
        let engine = try DetectionSecretEngine.standard()
        let supplementRules: Set<String> = ["generic-password", "url-credentials", "netrc-password", "npm-auth-token"]
        var negatives: Set<String> = []
        var positives: Set<String> = []
        let truth = try String(contentsOf: Fixtures.secretsTruth, encoding: .utf8)
        for line in truth.split(separator: "\n") {
            guard let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = row["file"] as? String, let number = row["line"] as? Int else { continue }
            if row["positive"] as? Bool == true { positives.insert("\(file):\(number)") } else { negatives.insert("\(file):\(number)") }
        }
        var added = 0, onNegative: [String] = [], onPositive = 0
        let root = Fixtures.secretsCorpus
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in files {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  let data = try? Data(contentsOf: url), data.count < 1 << 20, !data.contains(0) else { continue }
            let rel = String(url.path.dropFirst(root.path.count + 1))
            for match in engine.scan(text: String(decoding: data, as: UTF8.self), path: rel)
            where supplementRules.contains(match.rule) && match.title != "" {
                // Detection's own rule ids differ from lint's; only lint's supplement uses these titles.
                guard ["Password assignment", "Password in URL", ".netrc password", "npm _authToken"].contains(match.title) else { continue }
                added += 1
                let key = "\(rel):\(match.line)"
                if negatives.contains(key) && !positives.contains(key) { onNegative.append(key) }
                if positives.contains(key) { onPositive += 1 }
            }
        }
        #expect(onNegative.isEmpty, "supplement matches on labelled negatives: \(onNegative)")
        print("lint supplement on the corpus: \(added) extra matches, \(onPositive) on labelled positive lines, \(onNegative.count) on negatives")
    }
}
