import Foundation
import Testing
import TestSupport

/// The real `pre-commit` (from PyPI) running the hooks in `.pre-commit-hooks.yaml` with the
/// built strata binary, in a temporary git repository.
@Suite(.serialized) struct PreCommitHookTests {
    /// `pre-commit` on PATH, or installed once into a cached virtualenv. Nil only when pip
    /// cannot reach PyPI (the test is then skipped).
    static let preCommit: URL? = {
        if let onPath = Shell.which("pre-commit") { return onPath }
        let cache = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/strata-test-pre-commit")
        let binary = cache.appendingPathComponent("bin/pre-commit")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        guard (try? Shell.run("python3", ["-m", "venv", cache.path]))?.status == 0,
              (try? Shell.run(cache.appendingPathComponent("bin/pip").path,
                              ["install", "-q", "--disable-pip-version-check", "pre-commit"]))?.status == 0 else { return nil }
        return FileManager.default.isExecutableFile(atPath: binary.path) ? binary : nil
    }()

    @Test(.enabled(if: PreCommitHookTests.preCommit != nil, "pip cannot reach PyPI to install pre-commit"))
    func commitWithEnvAndNoDockerignoreIsRefusedUntilFixed() throws {
        let preCommit = try #require(Self.preCommit)
        let strata = StrataBinary.url
        #expect(FileManager.default.isExecutableFile(atPath: strata.path), "build strata first (swift build)")
        let tmp = TemporaryDirectory("precommit")

        // A hooks repository holding this checkout's .pre-commit-hooks.yaml, as a project would reference strata.
        let hooksRepo = tmp.file("strata-hooks")
        try FileManager.default.createDirectory(at: hooksRepo, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.repositoryRoot.appendingPathComponent(".pre-commit-hooks.yaml"),
                                         to: hooksRepo.appendingPathComponent(".pre-commit-hooks.yaml"))
        try Shell.git(["init", "-q", "-b", "main"], in: hooksRepo)
        try Shell.git(["add", "."], in: hooksRepo)
        try Shell.git(["commit", "-q", "-m", "hooks"], in: hooksRepo)
        let rev = try Shell.git(["rev-parse", "HEAD"], in: hooksRepo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let project = tmp.file("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try Shell.git(["init", "-q", "-b", "main"], in: project)
        try """
        repos:
          - repo: \(hooksRepo.path)
            rev: \(rev)
            hooks:
              - id: strata-dockerfile
              - id: strata-dockerignore

        """.write(to: project.appendingPathComponent(".pre-commit-config.yaml"), atomically: true, encoding: .utf8)
        try "FROM alpine:3.20\nWORKDIR /app\nCOPY . /app\nCMD [\"./run.sh\"]\n"
            .write(to: project.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        try "DATABASE_URL=postgres://app:\(Fake.random(18))@db:5432/app\nSTRIPE_SECRET_KEY=sk_live_\(Fake.random(24))\n"
            .write(to: project.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho hi\n".write(to: project.appendingPathComponent("run.sh"), atomically: true, encoding: .utf8)

        var env = ProcessInfo.processInfo.environment
        env["PATH"] = strata.deletingLastPathComponent().path + ":" + preCommit.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["PRE_COMMIT_HOME"] = tmp.file("pre-commit-home").path
        env["GIT_AUTHOR_NAME"] = "t"; env["GIT_AUTHOR_EMAIL"] = "t@example.com"
        env["GIT_COMMITTER_NAME"] = "t"; env["GIT_COMMITTER_EMAIL"] = "t@example.com"

        let install = try Shell.run(preCommit.path, ["install"], in: project, environment: env)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        try Shell.git(["add", "-A"], in: project, environment: env)

        let refused = try Shell.run("git", ["commit", "-m", "add app"], in: project, environment: env)
        #expect(refused.status != 0, "commit must be refused: \(refused.stdout)\(refused.stderr)")
        let output = refused.stdout + refused.stderr
        #expect(output.contains("strata context check"))
        #expect(output.contains(".env would be sent to the builder"))
        #expect(output.contains("DF008"))
        #expect(!output.contains("sk_live_"), "secret values are redacted in hook output")

        let fix = try Shell.run(strata.path, ["context", "check", "--fix", "."], in: project, environment: env)
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        let ignore = try String(contentsOf: project.appendingPathComponent(".dockerignore"), encoding: .utf8)
        #expect(ignore.contains("\n.env\n"))
        try Shell.git(["add", "-A"], in: project, environment: env)
        let accepted = try Shell.run("git", ["commit", "-m", "add app"], in: project, environment: env)
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
    }
}

/// Small process helpers for the end-to-end test.
enum Shell {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func which(_ name: String) -> URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                    environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) throws -> Result {
        var env = environment ?? ProcessInfo.processInfo.environment
        env["GIT_AUTHOR_NAME"] = env["GIT_AUTHOR_NAME"] ?? "t"
        env["GIT_AUTHOR_EMAIL"] = env["GIT_AUTHOR_EMAIL"] ?? "t@example.com"
        env["GIT_COMMITTER_NAME"] = env["GIT_COMMITTER_NAME"] ?? "t"
        env["GIT_COMMITTER_EMAIL"] = env["GIT_COMMITTER_EMAIL"] ?? "t@example.com"
        let result = try run("git", arguments, in: directory, environment: env)
        if result.status != 0 { throw GitError(message: "git \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result
    }

    struct GitError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}
