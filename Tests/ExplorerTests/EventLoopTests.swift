import Explorer
import Foundation
import TermGrid
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A terminal made of a pipe: bytes written to `keys` arrive as key presses.
final class PipeTerminal: Terminal {
    let size: (width: Int, height: Int) = (100, 30)
    let boxStyle: BoxStyle = .unicode
    let inputDescriptor: Int32
    let keyWriter: Int32
    var frames: [Grid] = []

    init() {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        inputDescriptor = fds[0]
        keyWriter = fds[1]
    }

    deinit { close(inputDescriptor); close(keyWriter) }

    func send(_ text: String) { let bytes = Array(text.utf8); _ = bytes.withUnsafeBytes { write(keyWriter, $0.baseAddress, $0.count) } }

    func readKeys() -> [Key] {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(inputDescriptor, &buffer, buffer.count)
        guard n > 0 else { return [] }
        return buffer[0..<n].map { $0 == 9 ? .tab : $0 == 10 ? .enter : .char(Character(UnicodeScalar($0))) }
    }

    func checkResize() -> Key? { nil }
    func present(_ grid: Grid) { frames.append(grid) }
}

@Suite(.serialized) struct EventLoopTests {
    @Test func scannerEventsAndKeysMeetInOneLoop() {
        let terminal = PipeTerminal()
        let loop = ExplorerLoop(terminal: terminal, state: ExplorerState(), provider: Demo.provider)
        var sent = false
        loop.onFrame = { state in
            if state.scan.isComplete && !sent {
                sent = true
                terminal.send("jj\tq")
            }
        }
        loop.start(DemoScan.producer(Demo.source))
        let signal = loop.run()
        #expect(signal == 0)
        #expect(loop.state.quitRequested)
        #expect(loop.state.selectedLayer == 2)
        #expect(loop.state.focus == .files)
        #expect(terminal.frames.count >= 2)
        // The first frame was drawn before any layer was read.
        #expect(Snapshot.screen(terminal.frames[0]).contains("reading manifest") || Snapshot.screen(terminal.frames[0]).contains("Layers"))
    }

    @Test func sigtermEndsTheLoopSoTheTerminalCanBeRestored() {
        let terminal = PipeTerminal()
        let loop = ExplorerLoop(terminal: terminal, state: ExplorerState(), provider: Demo.provider)
        var signalled = false
        loop.onFrame = { state in
            if state.scan.isComplete && !signalled { signalled = true; kill(getpid(), SIGTERM) }
        }
        loop.start(DemoScan.producer(Demo.source))
        #expect(loop.run() == SIGTERM)
    }

    @Test func mailboxWakesOnceAndDrainsEverything() {
        let box = Mailbox()
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            box.post(.scan(.layerState(index: i, state: .scanning)))
        }
        var pfd = pollfd(fd: box.readDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pfd, 1, 1000) == 1)
        #expect(box.drain().count == 200)
        #expect(poll(&pfd, 1, 0) == 0)
    }

    @Test func fileLoadsRunOffTheLoopThread() {
        let terminal = PipeTerminal()
        let loop = ExplorerLoop(terminal: terminal, state: ExplorerState(), provider: Demo.provider)
        var step = 0
        loop.onFrame = { state in
            if state.scan.isComplete && step == 0 { step = 1; terminal.send("j\tG\n") }
            if step == 1, state.viewer?.content != nil { step = 2; terminal.send("q") }
        }
        loop.start(DemoScan.producer(Demo.source))
        loop.run()
        #expect(step == 2)
        #expect(loop.state.viewer?.path == "home/node/.npmrc")
    }

    /// In the loop, a keypress never builds a big tree: the pane says it is building, the loop
    /// builds it in the background, and a later frame shows it.
    @Test func bigTreesAreBuiltOutsideKeypresses() {
        let terminal = PipeTerminal()
        let loop = ExplorerLoop(terminal: terminal, state: ExplorerState(), provider: Demo.provider)
        var sawBuilding = false
        var step = 0
        loop.onFrame = { state in
            if Snapshot.screen(terminal.frames.last!).contains("building the file tree") { sawBuilding = true }
            if state.scan.isComplete && step == 0 { step = 1; terminal.send("\tm") }
            if step == 1, state.merged, state.tree() != nil { step = 2; terminal.send("q") }
        }
        let events = KeyBenchmark.syntheticEvents(entries: 20_000)
        loop.start { emit in for e in events { emit(e) } }
        loop.run()
        #expect(step == 2)
        #expect(sawBuilding)
        #expect(Snapshot.screen(terminal.frames.last!).contains("merged filesystem"))
        #expect(Snapshot.screen(terminal.frames.last!).contains("dir0/"))
    }
}
