import Foundation

/// The matching rules of `shared/tools/score.py`, in Swift: same file, then value match
/// (compacted truth value or alt inside the finding's secret, or a secret of ≥ 6 chars inside
/// the value) before line match; positives before negatives; ambiguous line hits count neither way.
struct CorpusScorer {
    struct Truth {
        let file: String
        let line: Int?
        let endLine: Int?
        let kind: String
        let values: [String]
        let positive: Bool
    }

    struct Finding: Hashable {
        let file: String
        let line: Int?
        let rule: String
        let secret: String
    }

    struct Result {
        let tp: Int, fp: Int, fn: Int
        var precision: Double { tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn) }
        let misses: [Truth]
        let falsePositives: [Finding]
    }

    static func compact(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "\\n", with: "").replacingOccurrences(of: "\\r", with: "")
        t = String(t.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
        return t.trimmingCharacters(in: CharacterSet(charactersIn: "\"'`"))
    }

    static func loadTruth(_ url: URL) throws -> [Truth] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            var values = [object["value"] as? String ?? ""] + ((object["alt"] as? [String]) ?? [])
            values = values.map(compact).filter { !$0.isEmpty }
            return Truth(file: object["file"] as! String, line: object["line"] as? Int, endLine: object["end_line"] as? Int,
                         kind: object["kind"] as! String, values: values, positive: object["positive"] as! Bool)
        }
    }

    static func score(truth: [Truth], findings rawFindings: [Finding]) -> Result {
        var seen = Set<Finding>()
        let findings = rawFindings.filter { seen.insert($0).inserted }
        let byFile = Dictionary(grouping: truth.indices, by: { truth[$0].file })
        var credited = Set<Int>()
        var negativeHits = Set<Int>()
        var unlabeled: [String: Finding] = [:]
        func valueMatch(_ t: Truth, _ secret: String) -> Bool {
            guard !secret.isEmpty else { return false }
            return t.values.contains { secret.contains($0) || (secret.count >= 6 && $0.contains(secret)) }
        }
        func lineMatch(_ t: Truth, _ line: Int?) -> Bool {
            guard let line, let start = t.line else { return false }
            return start <= line && line <= (t.endLine ?? start)
        }
        var pending: [Finding] = []
        var negativeValueHits: [Finding] = []
        for f in findings {
            let candidates = byFile[f.file] ?? []
            let secret = compact(f.secret)
            let pv = candidates.filter { truth[$0].positive && valueMatch(truth[$0], secret) }
            if !pv.isEmpty { credited.formUnion(pv); continue }
            let nv = candidates.filter { !truth[$0].positive && valueMatch(truth[$0], secret) }
            if !nv.isEmpty { negativeHits.formUnion(nv); negativeValueHits.append(f); continue }
            pending.append(f)
        }
        pending.sort { ($0.file, $0.line ?? -1, $0.rule, $0.secret) < ($1.file, $1.line ?? -1, $1.rule, $1.secret) }
        var falsePositives: [Finding] = negativeValueHits
        for f in pending {
            let candidates = byFile[f.file] ?? []
            let pl = candidates.filter { truth[$0].positive && lineMatch(truth[$0], f.line) }
            let nl = candidates.filter { !truth[$0].positive && lineMatch(truth[$0], f.line) }
            if !pl.isEmpty && !nl.isEmpty { continue }
            if !pl.isEmpty {
                if let fresh = pl.first(where: { !credited.contains($0) }) { credited.insert(fresh) }
                continue
            }
            if !nl.isEmpty { negativeHits.formUnion(nl); falsePositives.append(f); continue }
            let key = "\(f.file)\u{0}" + (f.line.map(String.init) ?? "secret:" + f.secret)
            if unlabeled[key] == nil { unlabeled[key] = f; falsePositives.append(f) }
        }
        let positives = truth.indices.filter { truth[$0].positive }
        let tp = positives.filter { credited.contains($0) }.count
        return Result(tp: tp, fp: negativeHits.count + unlabeled.count, fn: positives.count - tp,
                      misses: positives.filter { !credited.contains($0) }.map { truth[$0] },
                      falsePositives: falsePositives)
    }
}
