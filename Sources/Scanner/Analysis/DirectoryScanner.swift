import Detection
import Foundation
import LayerIndex

/// `strata scan DIR`: every regular file under a directory (a build context, an extracted
/// root filesystem), with the same sniffing, windows and archive expansion as layer files.
/// Symbolic links are not followed. Paths are relative to the directory.
public enum DirectoryScanner {
    public struct Result: Sendable {
        public var findings: [Finding]
        /// Files that could not be read, and archives that could not be fully expanded.
        public var failures: [StrataError]
        public var filesScanned: Int
        public var bytesScanned: Int64
    }

    public static func scan(directory: String, matcher: any ContentMatcher, limits: FileScanLimits = FileScanLimits()) -> Result {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        var matches: [(String, Match)] = []
        let context = ScanContext(matcher: matcher, limits: limits) { path, match in matches.append((path, match)) }
        var failures: [StrataError] = []
        var files = 0
        var bytes: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for relative in regularFiles(under: root, failures: &failures) {
            let full = root.path + "/" + relative
            let fd = open(full, O_RDONLY)
            guard fd >= 0 else {
                failures.append(StrataError("cannot read: \(String(cString: strerror(errno)))", image: directory, path: relative))
                continue
            }
            files += 1
            let budget = ExpansionBudget(bytes: limits.maxExpandedBytes, members: limits.maxMembers)
            let scan = FileScan(context: context, path: relative, depth: 0, budget: budget)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    failures.append(StrataError("read failed: \(String(cString: strerror(errno)))", image: directory, path: relative))
                    break
                }
                if n == 0 { break }
                bytes += Int64(n)
                buffer.withUnsafeBytes { scan.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                if scan.isDone { break } // a binary: the rest is not read
            }
            scan.close()
            close(fd)
        }
        for problem in context.problems { failures.append(StrataError(problem, image: directory)) }
        let findings = matches.map { path, match in
            Finding(match: DocumentationPaths.adjust(match, path: path), status: .present, location: FindingLocation(source: .file, path: path, line: match.line, column: match.column),
                    remediation: Remediation.forDirectoryFile(relativePath: path))
        }
        return Result(findings: FindingOrder.sorted(FindingBuilder.dedupe(findings)), failures: failures, filesScanned: files, bytesScanned: bytes)
    }

    /// Relative paths of regular files, sorted, without following symbolic links.
    static func regularFiles(under root: URL, failures: inout [StrataError]) -> [String] {
        var out: [String] = []
        var stack = [""]
        while let relative = stack.popLast() {
            let path = relative.isEmpty ? root.path : root.path + "/" + relative
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                failures.append(StrataError("cannot list directory", image: root.path, path: relative.isEmpty ? "." : relative))
                continue
            }
            for name in names.sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root.path + "/" + child, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: stack.append(child)
                case S_IFREG where info.st_size > 0: out.append(child)
                default: break
                }
            }
        }
        return out.sorted()
    }
}
