/// A small TOML reader for rule configs: basic, literal and multi-line strings, integers, floats,
/// booleans, arrays, inline tables, `[tables]`, `[[arrays.of.tables]]`, dotted and quoted keys.
/// Dates are kept as strings. Errors name the line.
final class TOMLTable {
    var values: [String: TOMLValue] = [:]
    var keys: [String] = []

    subscript(key: String) -> TOMLValue? {
        get { values[key] }
        set {
            if values[key] == nil { keys.append(key) }
            values[key] = newValue
        }
    }
}

enum TOMLValue {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])
    case table(TOMLTable)
    case tableArray([TOMLTable])

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var table: TOMLTable? { if case .table(let t) = self { return t }; return nil }
    var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var stringArray: [String]? {
        if case .array(let items) = self { return items.compactMap(\.string) }
        return nil
    }
    /// A table, or each table of an array of tables.
    var tables: [TOMLTable] {
        switch self {
        case .table(let t): return [t]
        case .tableArray(let ts): return ts
        case .array(let items): return items.compactMap(\.table)
        default: return []
        }
    }
}

struct TOMLParser {
    private let chars: [UInt8]
    private var i = 0
    private var line = 1
    let source: String

    init(_ text: String, source: String) {
        chars = Array(text.utf8)
        self.source = source
    }

    private func error(_ message: String) -> DetectionError {
        .config("\(source):\(line): \(message)")
    }

    mutating func parse() throws -> TOMLTable {
        let root = TOMLTable()
        var current = root
        while true {
            skipWhitespaceAndComments(newlines: true)
            guard i < chars.count else { break }
            if chars[i] == UInt8(ascii: "[") {
                let isArray = i + 1 < chars.count && chars[i + 1] == UInt8(ascii: "[")
                i += isArray ? 2 : 1
                skipSpaces()
                let path = try parseKeyPath()
                skipSpaces()
                guard expect("]") && (!isArray || expect("]")) else { throw error("unterminated table header") }
                current = try open(path, in: root, arrayElement: isArray)
            } else {
                let path = try parseKeyPath()
                skipSpaces()
                guard expect("=") else { throw error("expected '=' after key") }
                skipSpaces()
                let value = try parseValue()
                try assign(value, to: path, in: current)
            }
            skipSpaces()
            if i < chars.count, chars[i] == UInt8(ascii: "#") { skipComment() }
            if i < chars.count, chars[i] == 0x0D { i += 1 }
            if i < chars.count, chars[i] != 0x0A { throw error("unexpected text after value") }
        }
        return root
    }

    private func open(_ path: [String], in root: TOMLTable, arrayElement: Bool) throws -> TOMLTable {
        var table = root
        for (n, key) in path.enumerated() {
            let last = n == path.count - 1
            if last && arrayElement {
                let fresh = TOMLTable()
                switch table[key] {
                case nil: table[key] = .tableArray([fresh])
                case .tableArray(var list)?: list.append(fresh); table[key] = .tableArray(list)
                default: throw error("'\(key)' is not an array of tables")
                }
                return fresh
            }
            switch table[key] {
            case nil:
                let fresh = TOMLTable()
                table[key] = .table(fresh)
                table = fresh
            case .table(let t)?: table = t
            case .tableArray(let list)?:
                guard let lastTable = list.last else { throw error("empty array of tables '\(key)'") }
                table = lastTable
            default: throw error("'\(key)' is not a table")
            }
        }
        return table
    }

    private func assign(_ value: TOMLValue, to path: [String], in table: TOMLTable) throws {
        var t = table
        for key in path.dropLast() {
            if let existing = t[key]?.table { t = existing; continue }
            guard t[key] == nil else { throw error("'\(key)' is not a table") }
            let fresh = TOMLTable()
            t[key] = .table(fresh)
            t = fresh
        }
        t[path.last!] = value
    }

    private mutating func parseKeyPath() throws -> [String] {
        var path: [String] = []
        while true {
            skipSpaces()
            guard i < chars.count else { throw error("expected a key") }
            if chars[i] == UInt8(ascii: "\"") {
                path.append(try parseBasicString())
            } else if chars[i] == UInt8(ascii: "'") {
                path.append(try parseLiteralString())
            } else {
                let start = i
                while i < chars.count, isBareKeyChar(chars[i]) { i += 1 }
                guard i > start else { throw error("expected a key") }
                path.append(String(decoding: chars[start..<i], as: UTF8.self))
            }
            skipSpaces()
            if i < chars.count, chars[i] == UInt8(ascii: ".") { i += 1; continue }
            return path
        }
    }

    private func isBareKeyChar(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
    }

    private mutating func parseValue() throws -> TOMLValue {
        guard i < chars.count else { throw error("expected a value") }
        switch chars[i] {
        case UInt8(ascii: "\""): return .string(try parseBasicString())
        case UInt8(ascii: "'"): return .string(try parseLiteralString())
        case UInt8(ascii: "["):
            i += 1
            var items: [TOMLValue] = []
            while true {
                skipWhitespaceAndComments(newlines: true)
                guard i < chars.count else { throw error("unterminated array") }
                if chars[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                items.append(try parseValue())
                skipWhitespaceAndComments(newlines: true)
                if i < chars.count, chars[i] == UInt8(ascii: ",") { i += 1; continue }
                skipWhitespaceAndComments(newlines: true)
                guard expect("]") else { throw error("expected ',' or ']' in array") }
                return .array(items)
            }
        case UInt8(ascii: "{"):
            i += 1
            let table = TOMLTable()
            skipSpaces()
            if expect("}") { return .table(table) }
            while true {
                let path = try parseKeyPath()
                skipSpaces()
                guard expect("=") else { throw error("expected '=' in inline table") }
                skipSpaces()
                try assign(try parseValue(), to: path, in: table)
                skipSpaces()
                if expect(",") { skipSpaces(); continue }
                guard expect("}") else { throw error("expected ',' or '}' in inline table") }
                return .table(table)
            }
        default:
            let start = i
            while i < chars.count, !",]}#\r\n".utf8.contains(chars[i]) { i += 1 }
            let word = String(decoding: chars[start..<i], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            let digits = word.replacingOccurrences(of: "_", with: "")
            if let n = Int(digits) { return .integer(n) }
            if let d = Double(digits) { return .float(d) }
            if word.first?.isNumber == true { return .string(word) }  // dates and times
            throw error("unexpected value '\(word)'")
        }
    }

    private mutating func parseBasicString() throws -> String {
        let multi = hasPrefix("\"\"\"")
        i += multi ? 3 : 1
        if multi, i < chars.count, chars[i] == 0x0A { i += 1; line += 1 } else if multi, hasPrefix("\r\n") { i += 2; line += 1 }
        var out: [UInt8] = []
        while i < chars.count {
            let c = chars[i]
            if multi && hasPrefix("\"\"\"") {
                i += 3
                while i < chars.count, chars[i] == UInt8(ascii: "\"") { out.append(chars[i]); i += 1 }
                return String(decoding: out, as: UTF8.self)
            }
            if !multi && c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == 0x0A {
                guard multi else { throw error("newline in string") }
                line += 1
            }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < chars.count else { break }
                let e = chars[i]
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "\\"): out.append(e)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let n = e == UInt8(ascii: "u") ? 4 : 8
                    guard i + n < chars.count, let code = UInt32(String(decoding: chars[(i + 1)...(i + n)], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw error("bad unicode escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += n
                case 0x0A, 0x20, 0x09, 0x0D where multi:
                    // Line-ending backslash: trim whitespace up to the next non-blank.
                    while i < chars.count, chars[i] == 0x20 || chars[i] == 0x09 || chars[i] == 0x0A || chars[i] == 0x0D {
                        if chars[i] == 0x0A { line += 1 }
                        i += 1
                    }
                    continue
                default:
                    throw error("invalid escape '\\\(Character(UnicodeScalar(e)))' (use a literal 'string' for regexes)")
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        throw error("unterminated string")
    }

    private mutating func parseLiteralString() throws -> String {
        let multi = hasPrefix("'''")
        i += multi ? 3 : 1
        if multi, i < chars.count, chars[i] == 0x0A { i += 1; line += 1 } else if multi, hasPrefix("\r\n") { i += 2; line += 1 }
        let start = i
        while i < chars.count {
            if multi && hasPrefix("'''") {
                var end = i
                i += 3
                while i < chars.count, chars[i] == UInt8(ascii: "'") { i += 1; end += 1 }
                return String(decoding: chars[start..<end], as: UTF8.self)
            }
            if !multi && chars[i] == UInt8(ascii: "'") {
                defer { i += 1 }
                return String(decoding: chars[start..<i], as: UTF8.self)
            }
            if chars[i] == 0x0A {
                guard multi else { throw error("newline in string") }
                line += 1
            }
            i += 1
        }
        throw error("unterminated string")
    }

    private func hasPrefix(_ s: String) -> Bool {
        let p = Array(s.utf8)
        return i + p.count <= chars.count && Array(chars[i..<(i + p.count)]) == p
    }

    private mutating func expect(_ s: String) -> Bool {
        if hasPrefix(s) { i += s.utf8.count; return true }
        return false
    }

    private mutating func skipSpaces() {
        while i < chars.count, chars[i] == 0x20 || chars[i] == 0x09 { i += 1 }
    }

    private mutating func skipComment() {
        while i < chars.count, chars[i] != 0x0A { i += 1 }
    }

    private mutating func skipWhitespaceAndComments(newlines: Bool) {
        while i < chars.count {
            let c = chars[i]
            if c == 0x20 || c == 0x09 || c == 0x0D { i += 1 } else if c == 0x0A && newlines { i += 1; line += 1 } else if c == UInt8(ascii: "#") {
                skipComment()
            } else { return }
        }
    }
}

import Foundation
