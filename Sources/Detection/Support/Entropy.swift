/// Shannon entropy of a value, in bits per character.
enum Entropy {
    static func shannon(_ text: String) -> Double {
        var counts: [UInt8: Int] = [:]
        var total = 0
        for b in text.utf8 { counts[b, default: 0] += 1; total += 1 }
        guard total > 0 else { return 0 }
        var h = 0.0
        for c in counts.values {
            let p = Double(c) / Double(total)
            h -= p * log2(p)
        }
        return h
    }
}

import Foundation
