import Detection

/// Settings and output shared by every file scanned in one layer (or one directory scan).
final class ScanContext {
    let matcher: any ContentMatcher
    let limits: FileScanLimits
    /// Called with the path (`ARCHIVE!member` inside archives) and a match in it.
    let emit: (String, Match) -> Void
    var problems: [String] = []
    /// When set, windows are scanned on the queue's thread instead of the caller's.
    var queue: DetectionQueue?

    init(matcher: any ContentMatcher, limits: FileScanLimits, emit: @escaping (String, Match) -> Void) {
        self.matcher = matcher
        self.limits = limits
        self.emit = emit
    }

    /// Scans a window now, or hands it to the detection thread.
    func detect(_ window: PendingWindow) {
        if let queue { queue.submit(window) } else { window.scan(with: self) }
    }
}

/// Bounds on what scanning one file may cost.
public struct FileScanLimits: Sendable, Hashable {
    /// Text is scanned in windows of at most this many bytes (the whole file when smaller).
    public var window: Int
    /// Consecutive windows overlap by this much, so a secret across a boundary is seen whole.
    public var overlap: Int
    /// How deep archives inside archives are opened (`a.tar.gz!b.zip!c` is depth 2 or more).
    public var maxDepth: Int
    /// Bytes all archives inside one file may expand to, in total.
    public var maxExpandedBytes: Int64
    /// Members all archives inside one file may have, in total.
    public var maxMembers: Int

    public init(window: Int = 4 << 20, overlap: Int = 64 << 10, maxDepth: Int = 4,
                maxExpandedBytes: Int64 = 256 << 20, maxMembers: Int = 20_000) {
        self.window = max(window, 2 * overlap + 1)
        self.overlap = overlap
        self.maxDepth = maxDepth
        self.maxExpandedBytes = maxExpandedBytes
        self.maxMembers = maxMembers
    }
}

/// One file's bytes: sniffed first, then scanned as text (in windows), opened as an archive
/// (gzip, tar, zip and its kin: jar, whl, apk…) or skipped as binary.
final class FileScan: ByteSink {
    enum State {
        case sniffing
        case text(TextWindow)
        case container(ByteSink)
        case skipped
    }

    let context: ScanContext
    /// The name matches are reported under when the content is text.
    let path: String
    /// Members of an archive found here are named `archivePath!member`.
    let archivePath: String
    let depth: Int
    let budget: ExpansionBudget
    var state: State = .sniffing
    var head: [UInt8] = []

    init(context: ScanContext, path: String, archivePath: String? = nil, depth: Int, budget: ExpansionBudget) {
        self.context = context
        self.path = path
        self.archivePath = archivePath ?? path
        self.depth = depth
        self.budget = budget
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .sniffing:
            let want = FileKindSniffer.sniffLength - head.count
            if bytes.count < want {
                head.append(contentsOf: bytes)
                return
            }
            head.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<want]))
            decide()
            write(UnsafeRawBufferPointer(rebasing: bytes[want...]))
        case .text(let window): window.write(bytes)
        case .container(let sink): sink.write(bytes)
        case .skipped: return
        }
    }

    /// True once the content was judged binary (or the scan ended): the rest of the file need not be read.
    var isDone: Bool {
        if case .skipped = state { return true }
        return false
    }

    func close() {
        if case .sniffing = state { decide() }
        switch state {
        case .text(let window): window.close()
        case .container(let sink): sink.close()
        case .sniffing, .skipped: break
        }
        state = .skipped
    }

    /// Chooses what to do from the first bytes, then replays them.
    private func decide() {
        let kind = FileKindSniffer.classify(head)
        let canOpen = depth < context.limits.maxDepth
        switch kind {
        case .text:
            state = .text(TextWindow(context: context, path: path))
        case .utf16(let order):
            state = .container(UTF16TextSink(order: order, window: TextWindow(context: context, path: path)))
        case .gzip where canOpen:
            // A gzip is transparent: `a.tar.gz!member` for a tarball, `a.txt.gz!a.txt` for text.
            let inner = FileScan(context: context, path: archivePath + "!" + FileScan.strippedName(archivePath),
                                 archivePath: archivePath, depth: depth + 1, budget: budget)
            state = .container(GzipExpander(child: inner, budget: budget, context: context, path: archivePath))
        case .tar where canOpen:
            state = .container(TarExpander(context: context, archivePath: archivePath, depth: depth + 1, budget: budget))
        case .zip where canOpen:
            state = .container(ZipExpander(context: context, archivePath: archivePath, depth: depth + 1, budget: budget))
        default:
            state = .skipped
        }
        let replay = head
        head = []
        replay.withUnsafeBytes { bytes in
            switch state {
            case .text(let window): window.write(bytes)
            case .container(let sink): sink.write(bytes)
            default: break
            }
        }
    }

    /// `dir/app.log.gz` → `app.log`; `x.tgz` → `x.tar`.
    static func strippedName(_ path: String) -> String {
        let name = path.split(separator: "!").last.map { String($0.split(separator: "/").last ?? $0) } ?? path
        let lower = name.lowercased()
        if lower.hasSuffix(".tgz") { return String(name.dropLast(4)) + ".tar" }
        if lower.hasSuffix(".gz") { return String(name.dropLast(3)) }
        return name
    }
}

/// UTF-16 text, turned into UTF-8 as it streams and scanned like any other text file (same
/// path; lines as in the file, columns and offsets those of the UTF-8 text).
final class UTF16TextSink: ByteSink {
    private var decoder: UTF16Decoder
    private let window: TextWindow
    private var converted: [UInt8] = []

    init(order: UTF16Text.ByteOrder, window: TextWindow) {
        decoder = UTF16Decoder(order: order)
        self.window = window
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        converted.removeAll(keepingCapacity: true)
        decoder.decode(bytes, into: &converted)
        converted.withUnsafeBytes { window.write($0) }
    }

    func close() {
        converted.removeAll(keepingCapacity: true)
        decoder.finish(into: &converted)
        converted.withUnsafeBytes { window.write($0) }
        window.close()
    }
}

/// Buffers a text file up to a window and hands it to the matcher; a longer file is scanned in
/// overlapping windows that start on a line boundary where possible. Lines, columns and byte
/// offsets are reported as if the whole file had been scanned at once.
final class TextWindow {
    let context: ScanContext
    let path: String
    var buffer: [UInt8] = []
    /// Bytes of the file before `buffer[0]`.
    var offset = 0
    /// Newlines in the file before `buffer[0]`.
    var linesBefore = 0
    /// Bytes between the last newline before `buffer[0]` and `buffer[0]`.
    var columnCarry = 0

    init(context: ScanContext, path: String) {
        self.context = context
        self.path = path
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        let window = context.limits.window
        while !rest.isEmpty {
            let take = min(rest.count, window - buffer.count)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if buffer.count >= window { flushWindow() }
        }
    }

    func close() {
        scan(acceptBefore: buffer.count, final: true)
        buffer = []
    }

    /// Scans a full window and keeps its tail (the overlap) for the next one.
    private func flushWindow() {
        let boundary = buffer.count - context.limits.overlap
        var cutoff = boundary
        if let nl = buffer[boundary / 2..<boundary].lastIndex(of: 0x0A) { cutoff = nl + 1 }
        scan(acceptBefore: cutoff, final: false)
        let (newlines, last) = buffer.withUnsafeBytes { Newlines.scan(UnsafeRawBufferPointer(rebasing: $0[0..<cutoff])) }
        let lastNewline = last ?? -1
        linesBefore += newlines
        columnCarry = lastNewline >= 0 ? cutoff - lastNewline - 1 : columnCarry + cutoff
        offset += cutoff
        // The scanned window still shares `buffer`'s storage: start a new one with the overlap
        // rather than shifting in place (which would copy the whole window first).
        var next: [UInt8] = []
        next.reserveCapacity(context.limits.window)
        next.append(contentsOf: buffer[cutoff...])
        buffer = next
    }

    private func scan(acceptBefore cutoff: Int, final: Bool) {
        guard !buffer.isEmpty else { return }
        context.detect(PendingWindow(bytes: buffer, path: path, acceptBefore: cutoff, final: final, offset: offset,
                                     linesBefore: linesBefore, columnCarry: columnCarry))
    }
}
