import Foundation
import LayerIndex
import Scanner
import TermGrid
#if canImport(Glibc)
import Glibc
#endif

/// What the loop needs from a terminal. The curses adapter implements it; tests use a fake.
public protocol Terminal: AnyObject {
    /// Current size in cells.
    var size: (width: Int, height: Int) { get }
    /// Unicode box drawing when the terminal can show it, else ASCII.
    var boxStyle: BoxStyle { get }
    /// The descriptor keys arrive on (polled by the loop).
    var inputDescriptor: Int32 { get }
    /// Every key ready now, without blocking.
    func readKeys() -> [Key]
    /// Called after SIGWINCH: re-reads the size; returns `.resize` when it changed.
    func checkResize() -> Key?
    /// Shows a frame, writing only what changed.
    func present(_ grid: Grid)
}

/// A thread-safe queue of explorer events with a wake pipe: posting writes one byte so the
/// loop's `poll` wakes; the loop drains everything at once.
public final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ExplorerEvent] = []
    private var signalled = false
    public let readDescriptor: Int32
    private let writeDescriptor: Int32

    public init() {
        var fds: [Int32] = [0, 0]
        if pipe(&fds) != 0 { fatalError("strata: cannot create a pipe") }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    public func post(_ event: ExplorerEvent) {
        lock.lock()
        events.append(event)
        let wake = !signalled
        signalled = true
        lock.unlock()
        if wake { var b: UInt8 = 1; _ = write(writeDescriptor, &b, 1) }
    }

    /// Everything posted so far (and clears the wake byte).
    public func drain() -> [ExplorerEvent] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
        lock.lock()
        defer { lock.unlock() }
        signalled = false
        let out = events
        events.removeAll(keepingCapacity: true)
        return out
    }
}

/// Produces scan events on some thread and hands each to `emit`; returns when the scan ends.
public typealias ScanProducer = @Sendable (_ emit: @escaping @Sendable (ScanEvent) -> Void) -> Void

/// Self-pipe for signals: handlers only write the signal number; the loop reads it.
nonisolated(unsafe) private var signalWriteDescriptor: Int32 = -1

/// The explorer's one event loop, on the calling thread: `poll` on the terminal's input, the
/// mailbox and the signal pipe; each wake-up drains keys and events, reduces them, draws one frame.
public final class ExplorerLoop {
    public private(set) var state: ExplorerState
    let terminal: Terminal
    let provider: FileContentProvider?
    public let mailbox = Mailbox()
    private var signalRead: Int32 = -1
    /// Called after each frame (benchmarks and tests).
    public var onFrame: ((ExplorerState) -> Void)?
    /// Called when the user selects another layer (the scanner reads that layer next).
    public var onSelectLayer: ((Int) -> Void)?

    public init(terminal: Terminal, state: ExplorerState, provider: FileContentProvider?) {
        self.terminal = terminal
        self.state = state
        self.provider = provider
        let size = terminal.size
        self.state.width = size.width
        self.state.height = size.height
        self.state.boxStyle = terminal.boxStyle
        self.state.backgroundTrees = true
    }

    /// Starts a producer on a background thread; its events land in the mailbox.
    public func start(_ producer: @escaping ScanProducer) {
        let mailbox = self.mailbox
        Thread.detachNewThread {
            producer { event in
                // Layer summaries are computed on first read: do it here, not on the loop thread.
                if case .completed(let report) = event { report.stack.prepareSummaries() }
                mailbox.post(.scan(event))
            }
        }
    }

    /// Runs until the user quits or SIGTERM/SIGHUP/SIGINT arrives. Returns the signal number
    /// that ended it (0 for a normal quit), so the caller can restore the terminal and re-raise.
    @discardableResult
    public func run() -> Int32 {
        installSignalHandlers()
        defer { removeSignalHandlers() }
        draw()
        var fds = [
            pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: mailbox.readDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: signalRead, events: Int16(POLLIN), revents: 0),
        ]
        while !state.quitRequested {
            for i in fds.indices { fds[i].revents = 0 }
            let n = poll(&fds, nfds_t(fds.count), -1)
            if n < 0 && errno != EINTR { break }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { break }
            var signals: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16)
            while true {
                let r = read(signalRead, &buffer, buffer.count)
                if r <= 0 { break }
                signals += buffer[0..<r]
            }
            for s in signals where Int32(s) != SIGWINCH { return Int32(s) }
            var events: [ExplorerEvent] = []
            if signals.contains(UInt8(SIGWINCH)), let resize = terminal.checkResize() { events.append(.key(resize)) }
            events += mailbox.drain()
            events += terminal.readKeys().map { .key($0) }
            if events.isEmpty { continue }
            process(events)
        }
        return 0
    }

    /// Reduces events, runs their effects, draws one frame.
    public func process(_ events: [ExplorerEvent]) {
        let layerBefore = state.selectedLayer
        defer { if state.selectedLayer != layerBefore { onSelectLayer?(state.selectedLayer) } }
        for event in events {
            for effect in state.reduce(event) { run(effect) }
            if state.quitRequested { return }
        }
        draw()
    }

    func draw() {
        let grid = Screen.render(state)
        terminal.present(grid)
        scheduleTrees()
        onFrame?(state)
    }

    /// Builds the trees the last frame asked for, and prefetches the selected layer's other
    /// mode and its neighbours, on a background queue; each finished tree wakes the loop.
    func scheduleTrees() {
        let s = state
        var prefetch: [TreeKey] = []
        for (layer, merged) in [(s.selectedLayer, s.merged), (s.selectedLayer, !s.merged),
                                (s.selectedLayer + 1, false), (s.selectedLayer - 1, false)] {
            if let key = s.treeKey(layer: layer, merged: merged) { prefetch.append(key) }
        }
        let mailbox = self.mailbox
        for key in s.cache.startBuilds(prefetch) {
            DispatchQueue.global(qos: .userInitiated).async {
                let tree = s.buildTree(layer: key.layer, merged: key.merged)
                s.cache.store(key, tree)
                mailbox.post(.treeBuilt)
            }
        }
    }

    func run(_ effect: Effect) {
        guard let provider else {
            if case .quit = effect { return }
            mailbox.post(.fileLoaded(layer: -1, path: "", result: .failure(.init("no content provider"))))
            return
        }
        let mailbox = self.mailbox
        switch effect {
        case .quit:
            break
        case .loadFile(let layer, let path):
            DispatchQueue.global().async {
                let result: Result<FileContent, StrataError>
                do { result = .success(try provider.read(layer: layer, path: path, limit: ViewerPane.limit)) }
                catch let e as StrataError { result = .failure(e) }
                catch { result = .failure(StrataError("\(error)", layer: layer, path: path)) }
                mailbox.post(.fileLoaded(layer: layer, path: path, result: result))
            }
        case .extract(let layer, let path, let destination):
            DispatchQueue.global().async {
                let url = URL(fileURLWithPath: (destination as NSString).expandingTildeInPath)
                let result: Result<Int64, StrataError>
                do { result = .success(try provider.extract(layer: layer, path: path, to: url)) }
                catch let e as StrataError { result = .failure(e) }
                catch { result = .failure(StrataError("\(error)", path: destination)) }
                mailbox.post(.extracted(path: path, destination: destination, result: result))
            }
        }
    }

    private var previousHandlers: [Int32: sighandler_t?] = [:]

    private func installSignalHandlers() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        signalRead = fds[0]
        signalWriteDescriptor = fds[1]
        // A launcher may have blocked these (masks are inherited): this thread must receive them.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGWINCH] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGWINCH] {
            previousHandlers[sig] = signal(sig) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalWriteDescriptor, &byte, 1)
            }
        }
    }

    private func removeSignalHandlers() {
        for (sig, handler) in previousHandlers { signal(sig, handler ?? SIG_DFL) }
        previousHandlers = [:]
        let w = signalWriteDescriptor
        signalWriteDescriptor = -1
        if w >= 0 { close(w) }
        if signalRead >= 0 { close(signalRead); signalRead = -1 }
    }
}
