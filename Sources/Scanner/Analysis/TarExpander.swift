/// A tar archive inside a layer (or inside a gzip): each regular member is scanned as a file of
/// its own, named `ARCHIVE!member`. A push parser: headers may arrive split across writes.
/// Handles ustar prefixes, GNU long names (`L`) and pax `path` records; stops quietly at the
/// end-of-archive blocks or on a header that does not check out.
final class TarExpander: ByteSink {
    enum Phase {
        case header
        /// Content of a member: `remaining` bytes, then `padding`.
        case data(remaining: Int64, padding: Int, sink: FileScan?)
        /// A GNU long name or pax header being collected.
        case meta(remaining: Int, padding: Int, kind: UInt8)
        case finished
    }

    let context: ScanContext
    let archivePath: String
    let depth: Int
    let budget: ExpansionBudget
    var phase: Phase = .header
    var pending: [UInt8] = []
    var nextName: String?
    var metaBytes: [UInt8] = []

    init(context: ScanContext, archivePath: String, depth: Int, budget: ExpansionBudget) {
        self.context = context
        self.archivePath = archivePath
        self.depth = depth
        self.budget = budget
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            switch phase {
            case .finished:
                return
            case .header:
                let take = min(512 - pending.count, rest.count)
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
                rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                if pending.count == 512 {
                    let block = pending
                    pending.removeAll(keepingCapacity: true)
                    startMember(block)
                }
            case .data(let remaining, let padding, let sink):
                if remaining > 0 {
                    let take = Int(min(Int64(rest.count), remaining))
                    sink?.write(UnsafeRawBufferPointer(rebasing: rest[0..<take]))
                    rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                    phase = .data(remaining: remaining - Int64(take), padding: padding, sink: sink)
                } else {
                    sink?.close()
                    let skip = min(padding, rest.count)
                    rest = UnsafeRawBufferPointer(rebasing: rest[skip...])
                    phase = padding - skip > 0 ? .data(remaining: 0, padding: padding - skip, sink: nil) : .header
                }
            case .meta(let remaining, let padding, let kind):
                if remaining > 0 {
                    let take = min(rest.count, remaining)
                    metaBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
                    rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                    phase = .meta(remaining: remaining - take, padding: padding, kind: kind)
                } else {
                    nextName = kind == UInt8(ascii: "L") ? TarExpander.cString(metaBytes[...]) : TarExpander.paxPath(metaBytes) ?? nextName
                    metaBytes = []
                    phase = .data(remaining: 0, padding: padding, sink: nil)
                }
            }
        }
        // A member whose data ended exactly at the end of this write is closed now.
        if case .data(0, 0, let sink) = phase {
            sink?.close()
            phase = .header
        }
    }

    func close() {
        if case .data(_, _, let sink) = phase { sink?.close() }
        phase = .finished
    }

    private func startMember(_ block: [UInt8]) {
        if block.allSatisfy({ $0 == 0 }) { phase = .finished; return }
        guard TarExpander.checksumHolds(block), let size = TarExpander.number(block[124..<136]), size >= 0 else {
            context.problems.append("\(archivePath): not a valid tar header; stopped reading the archive")
            phase = .finished
            return
        }
        let type = block[156]
        let padding = Int((512 - size % 512) % 512)
        if type == UInt8(ascii: "L") || type == UInt8(ascii: "x") {
            guard size <= 1 << 20 else { phase = .finished; return }
            metaBytes = []
            phase = .meta(remaining: Int(size), padding: padding, kind: type)
            return
        }
        var name = TarExpander.cString(block[0..<100])
        if block[257..<262].elementsEqual("ustar".utf8) {
            let prefix = TarExpander.cString(block[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        if let long = nextName { name = long }
        nextName = nil
        var sink: FileScan?
        let regular = type == 0 || type == UInt8(ascii: "0") || type == UInt8(ascii: "7")
        if regular, size > 0, budget.openMember(), let clean = PathNormalizerLite.clean(name) {
            sink = FileScan(context: context, path: archivePath + "!" + clean, depth: depth, budget: budget)
        }
        phase = .data(remaining: size, padding: padding, sink: sink)
    }

    static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// Octal, or GNU base-256 for large values.
    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        if let first = field.first, first & 0x80 != 0 {
            var value: Int64 = Int64(first & 0x7F)
            for b in field.dropFirst() {
                guard value < Int64.max >> 8 else { return nil }
                value = value << 8 | Int64(b)
            }
            return value
        }
        var value: Int64 = 0
        var seen = false
        for b in field {
            if b == 0 || b == 0x20 { if seen { break } else { continue } }
            guard b >= 0x30, b <= 0x37 else { return nil }
            seen = true
            value = value * 8 + Int64(b - 0x30)
        }
        return value
    }

    static func checksumHolds(_ block: [UInt8]) -> Bool {
        guard let stored = number(block[148..<156]) else { return false }
        var sum: Int64 = 0
        for (i, b) in block.enumerated() { sum += (148..<156).contains(i) ? 0x20 : Int64(b) }
        return sum == stored
    }

    /// The `path=` record of a pax extended header.
    static func paxPath(_ bytes: [UInt8]) -> String? {
        var i = 0
        while i < bytes.count {
            guard let space = bytes[i...].firstIndex(of: 0x20), let length = Int(String(decoding: bytes[i..<space], as: UTF8.self)),
                  length > 0, i + length <= bytes.count else { return nil }
            let record = bytes[(space + 1)..<(i + length - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")), String(decoding: record[record.startIndex..<eq], as: UTF8.self) == "path" {
                return String(decoding: record[(eq + 1)...], as: UTF8.self)
            }
            i += length
        }
        return nil
    }
}

/// Member names from inside archives: `./a//b` → `a/b`; names that climb out (`../x`) or are
/// empty are kept out (nothing is written to disk, but a report must not be misled by them).
enum PathNormalizerLite {
    static func clean(_ raw: String) -> String? {
        var parts: [Substring] = []
        for c in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { if parts.isEmpty { return nil }; parts.removeLast(); continue }
            parts.append(c)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
