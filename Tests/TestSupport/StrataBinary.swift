import Foundation

/// Runs the built `strata` executable, for end-to-end tests of the real binary.
public enum StrataBinary {
    /// The binary next to the test bundle (`.build/<config>/strata`).
    public static var url: URL {
        if let explicit = ProcessInfo.processInfo.environment["STRATA_BIN"] {
            return URL(fileURLWithPath: explicit)
        }
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("strata")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/strata")
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `strata ARGS`, feeding `stdin`, with extra environment variables. Unless
    /// `environment` sets `STRATA_CACHE_DIR`, the run uses a fresh cache directory, removed after.
    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                           currentDirectory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        // Each run gets its own empty layer cache unless the test names one: tests never read or
        // fill the user's ~/.cache/strata, and never see layers another test cached.
        let privateCache = environment["STRATA_CACHE_DIR"] == nil ? TemporaryDirectory("strata-test-cache") : nil
        if let privateCache { env["STRATA_CACHE_DIR"] = privateCache.path }
        defer { withExtendedLifetime(privateCache) {} }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe never blocks the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
