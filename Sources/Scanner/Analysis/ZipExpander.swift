/// A zip archive (`.zip`, `.jar`, `.whl`, `.apk`, …) inside a layer, read as it streams by its
/// local headers: each member is inflated (or passed through when stored) into a scan of its
/// own, named `ARCHIVE!member`. Members written with a data descriptor are followed when
/// deflated (the deflate stream says where it ends); a stored member with a data descriptor,
/// an encrypted member or an unknown method ends the expansion (noted, not fatal).
final class ZipExpander: ByteSink {
    enum Phase {
        case header
        case name(nameLength: Int, extraLength: Int)
        case stored(remaining: Int64, sink: FileScan?)
        case deflated(Inflater, sink: FileScan?)
        case descriptor
        case skip(remaining: Int64)
        case finished
    }

    let context: ScanContext
    let archivePath: String
    let depth: Int
    let budget: ExpansionBudget
    var phase: Phase = .header
    var pending: [UInt8] = []
    var flags: UInt16 = 0
    var method: UInt16 = 0
    var compressedSize: Int64 = 0
    var zip64 = false

    init(context: ScanContext, archivePath: String, depth: Int, budget: ExpansionBudget) {
        self.context = context
        self.archivePath = archivePath
        self.depth = depth
        self.budget = budget
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }

    /// Collects bytes into `pending` until it holds `count`; false when more input is needed.
    private func collect(_ count: Int, from rest: inout UnsafeRawBufferPointer) -> Bool {
        let take = min(count - pending.count, rest.count)
        if take > 0 {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
        }
        return pending.count == count
    }

    private func stop(_ why: String?) {
        if let why { context.problems.append("\(archivePath): \(why); stopped reading the archive") }
        phase = .finished
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            switch phase {
            case .finished:
                return
            case .header:
                guard collect(30, from: &rest) else { return }
                let h = pending
                pending.removeAll(keepingCapacity: true)
                guard ZipExpander.u32(h, 0) == 0x04034B50 else { stop(nil); return } // central directory: done
                flags = ZipExpander.u16(h, 6)
                method = ZipExpander.u16(h, 8)
                compressedSize = Int64(ZipExpander.u32(h, 18))
                zip64 = false
                phase = .name(nameLength: Int(ZipExpander.u16(h, 26)), extraLength: Int(ZipExpander.u16(h, 28)))
            case .name(let nameLength, let extraLength):
                guard collect(nameLength + extraLength, from: &rest) else { return }
                let name = String(decoding: pending[0..<nameLength], as: UTF8.self)
                let extra = Array(pending[nameLength...])
                pending.removeAll(keepingCapacity: true)
                readZip64(extra)
                beginMember(name)
            case .stored(let remaining, let sink):
                let take = Int(min(Int64(rest.count), remaining))
                if take > 0 {
                    if let sink, budget.spend(take) { sink.write(UnsafeRawBufferPointer(rebasing: rest[0..<take])) }
                    rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                }
                if remaining - Int64(take) == 0 {
                    sink?.close()
                    phase = flags & 8 != 0 ? .descriptor : .header
                } else {
                    phase = .stored(remaining: remaining - Int64(take), sink: sink)
                }
            case .deflated(let inflater, let sink):
                let outcome = inflater.feed(rest) { chunk in
                    guard budget.spend(chunk.count) else { return false }
                    sink?.write(chunk)
                    return true
                }
                switch outcome {
                case .needInput:
                    return
                case .streamEnd(let unused):
                    sink?.close()
                    rest = UnsafeRawBufferPointer(rebasing: rest[(rest.count - unused)...])
                    phase = flags & 8 != 0 ? .descriptor : .header
                case .failed(let why):
                    sink?.close()
                    stop(why)
                    return
                }
            case .descriptor:
                // Optional signature, crc32, then sizes (8 bytes, or 16 for zip64).
                let sizes = zip64 ? 16 : 8
                guard collect(4, from: &rest) else { return }
                let hasSignature = ZipExpander.u32(pending, 0) == 0x08074B50
                let total = hasSignature ? 4 + 4 + sizes : 4 + sizes
                guard collect(total, from: &rest) else { return }
                pending.removeAll(keepingCapacity: true)
                phase = .header
            case .skip(let remaining):
                let take = Int(min(Int64(rest.count), remaining))
                rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                phase = remaining - Int64(take) == 0 ? (flags & 8 != 0 ? .descriptor : .header) : .skip(remaining: remaining - Int64(take))
            }
        }
        if case .stored(0, let sink) = phase {
            sink?.close()
            phase = flags & 8 != 0 ? .descriptor : .header
        }
    }

    private func readZip64(_ extra: [UInt8]) {
        var i = 0
        while i + 4 <= extra.count {
            let id = ZipExpander.u16(extra, i)
            let size = Int(ZipExpander.u16(extra, i + 2))
            if id == 0x0001 {
                zip64 = true
                // Uncompressed size first, then compressed size, each present only when the header says 0xFFFFFFFF.
                if compressedSize == 0xFFFF_FFFF, i + 4 + 16 <= extra.count {
                    compressedSize = Int64(bitPattern: ZipExpander.u64(extra, i + 4 + 8))
                }
            }
            i += 4 + size
        }
    }

    private func beginMember(_ rawName: String) {
        let isDirectory = rawName.hasSuffix("/")
        let encrypted = flags & 1 != 0
        let knownSize = flags & 8 == 0
        var sink: FileScan?
        if !isDirectory, !encrypted, budget.openMember(), let clean = PathNormalizerLite.clean(rawName) {
            sink = FileScan(context: context, path: archivePath + "!" + clean, depth: depth, budget: budget)
        }
        switch method {
        case 0 where knownSize:
            phase = .stored(remaining: compressedSize, sink: sink)
        case 8:
            if encrypted, knownSize {
                phase = .skip(remaining: compressedSize)
            } else if let inflater = Inflater(mode: .raw), !encrypted {
                phase = .deflated(inflater, sink: sink)
            } else {
                stop("encrypted member \(rawName) with unknown size")
            }
        default:
            if knownSize {
                phase = .skip(remaining: compressedSize)
            } else {
                stop("member \(rawName) uses method \(method) with a data descriptor")
            }
        }
    }

    func close() {
        switch phase {
        case .stored(_, let sink), .deflated(_, let sink): sink?.close()
        default: break
        }
        phase = .finished
    }
}
