import Foundation
import Reporting
import Testing
import TestSupport

@Suite struct OutputFileTests {
    /// `--output /dev/null` must write into the device, not replace it with a regular file.
    @Test func writingToACharacterDeviceKeepsTheDevice() throws {
        try OutputFile.write(Data("report\n".utf8), to: "/dev/null")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0)
        #expect((info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func writesAndTruncatesARegularFile() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("out.json").path
        try OutputFile.write(Data("a much longer first text\n".utf8), to: path)
        try OutputFile.write(Data("short\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short\n")
    }
}
