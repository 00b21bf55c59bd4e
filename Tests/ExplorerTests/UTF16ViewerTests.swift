import Detection
@testable import Explorer
import TermGrid
import Testing

/// A UTF-16 file is shown as the text it holds, with the same lines and offsets the scanner
/// reported (it matched the UTF-8 form), and the footer says it was decoded.
@Suite struct UTF16ViewerTests {
    let text = "first line\nAPI_TOKEN=xyz\n"

    var utf16LE: [UInt8] { [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    @Test func decodedForDisplayKeepsSizeAndSaysTheEncoding() {
        let content = FileContent(bytes: utf16LE, size: Int64(utf16LE.count)).decodedForDisplay()
        #expect(content.bytes == Array(text.utf8))
        #expect(content.decodedFrom == "UTF-16LE")
        #expect(!content.truncated, "the whole file was read, though the decoded text is shorter")
        let plain = FileContent(bytes: Array(text.utf8), size: Int64(text.utf8.count))
        #expect(plain.decodedForDisplay() == plain)
    }

    @Test func viewerShowsTheDecodedText() {
        var state = Demo.state(width: 100, height: 30)
        state.viewer = ViewerState(layer: 0, path: "notes.txt")
        state.right = .viewer
        state.focus = .viewer
        _ = state.reduce(.fileLoaded(layer: 0, path: "notes.txt",
                                     result: .success(FileContent(bytes: utf16LE, size: Int64(utf16LE.count)))))
        #expect(state.viewer?.hex == false)
        #expect(state.viewer?.lineStarts == [0, 11], "two lines, as in the file")
        let screen = Snapshot.screen(Screen.render(state))
        #expect(screen.contains("API_TOKEN=xyz"))
        #expect(screen.contains("UTF-16LE"))
    }
}
