import Foundation
import LayerIndex

/// Runs a helper program with a bounded time and bounded output.
enum ProcessRunner {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    static func run(_ executable: URL, arguments: [String], stdin: Data, timeout: Double) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw StrataError("cannot run \(executable.lastPathComponent): \(error.localizedDescription)")
        }
        input.fileHandleForWriting.write(stdin)
        try? input.fileHandleForWriting.close()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw StrataError("\(executable.lastPathComponent) did not answer within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData.prefix(1 << 20), stderr: errData.prefix(1 << 16))
    }
}
