import ArgumentParser
import Foundation
import LayerIndex
import Scanner

/// `strata where`: every cached image, layer and path where a secret appears.
struct WhereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "where",
        abstract: "Where else did this key leak? List every scanned image, layer and path holding a secret.",
        discussion: """
            Give the secret on standard input (so it stays out of your shell history), e.g. \
            `strata where < key.txt` or paste it at the prompt, or give its fingerprint with \
            --fingerprint (as `strata scan` prints it). Searches every image `strata scan` \
            recorded in the cache on this machine. Exits 0 when found, 1 when not.
            """
    )

    @Option(help: ArgumentHelp("The secret's fingerprint, sha256:<64 hex digits>.", valueName: "sha256:…"))
    var fingerprint: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var cacheOptions: CacheOptions

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if let fingerprint, Digest(parsing: fingerprint)?.algorithm != "sha256" {
            throw ValidationError("--fingerprint: expected sha256:<64 hex digits>")
        }
    }

    func run() throws {
        let cache = try cacheOptions.openRequired(for: "where")
        let fingerprints: [String]
        if let fingerprint {
            fingerprints = [Digest(parsing: fingerprint)!.description]
        } else {
            let secret = try SecretInput.read()
            fingerprints = SecretInput.candidates(secret).map { ScanCache.fingerprint(ofSecret: $0) }
        }
        var seen = Set<SecretOccurrence>()
        var found: [SecretOccurrence] = []
        for fingerprint in fingerprints {
            for occurrence in try cache.occurrences(fingerprint: fingerprint) where seen.insert(occurrence).inserted {
                found.append(occurrence)
            }
        }
        switch format {
        case .json:
            print(try CacheCommand.json(found))
        case .text:
            printText(found, fingerprint: fingerprints[0])
        }
        if found.isEmpty { throw ExitCode(1) }
    }

    private func printText(_ found: [SecretOccurrence], fingerprint: String) {
        guard let first = found.first else {
            print("\(fingerprint): not found in any image scanned on this machine")
            return
        }
        var images: [String] = []
        var groups: [String: [SecretOccurrence]] = [:]
        for occurrence in found {
            let key = occurrence.reference + "\n" + occurrence.configDigest
            if groups[key] == nil { images.append(key) }
            groups[key, default: []].append(occurrence)
        }
        print("\(first.fingerprint) (\(Sanitize.line(first.preview)), \(first.rule)): "
              + "\(found.count) place(s) in \(images.count) image(s)")
        for key in images {
            let list = groups[key]!
            let image = list[0]
            let config = Digest(parsing: image.configDigest)?.short ?? image.configDigest
            print("")
            print("\(Sanitize.line(image.reference))  config \(config)  scanned \(CacheCommand.date(image.scannedAt))")
            for occurrence in list {
                print("  " + describe(occurrence))
            }
        }
    }

    private func describe(_ o: SecretOccurrence) -> String {
        var place: String
        if let layer = o.layer {
            let digest = o.layerDigest.flatMap { Digest(parsing: $0)?.short }.map { " (\($0))" } ?? ""
            place = "layer \(layer)\(digest)"
        } else {
            place = o.source
        }
        if let path = o.path {
            place += "  " + Sanitize.line(path)
            if let line = o.line { place += ":\(line)" + (o.column.map { ":\($0)" } ?? "") }
        }
        if let field = o.field { place += "  " + Sanitize.line(field) }
        var status = o.status
        if let removed = o.removedInLayer { status += " in layer \(removed)" }
        return "\(place)  \(status)  [\(o.severity)]"
    }
}

/// Reads a secret from standard input without echoing it on a terminal.
enum SecretInput {
    static func read() throws -> [UInt8] {
        if isatty(STDIN_FILENO) == 1 {
            FileHandle.standardError.write(Data("Secret (input hidden, then Enter): ".utf8))
            var saved = termios()
            let hidden = tcgetattr(STDIN_FILENO, &saved) == 0
            if hidden {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
            }
            defer {
                if hidden { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
                FileHandle.standardError.write(Data("\n".utf8))
            }
            guard let line = Swift.readLine(strippingNewline: true) else { throw StrataError("no secret given") }
            return Array(line.utf8)
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard !data.isEmpty else { throw StrataError("no secret on standard input (or use --fingerprint sha256:…)") }
        return Array(data)
    }

    /// The input as given and without the trailing newline(s) and surrounding blanks an editor or
    /// `echo` adds; a multi-line secret (a private key) is tried whole as well.
    static func candidates(_ bytes: [UInt8]) -> [[UInt8]] {
        var list: [[UInt8]] = []
        func add(_ candidate: [UInt8]) {
            if !candidate.isEmpty && !list.contains(candidate) { list.append(candidate) }
        }
        var trimmed = bytes[...]
        while let last = trimmed.last, last == 0x0A || last == 0x0D { trimmed = trimmed.dropLast() }
        add(Array(trimmed))
        let blank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        add(Array(trimmed.drop { blank.contains($0) }.reversed().drop { blank.contains($0) }.reversed()))
        add(bytes)
        return list
    }
}
