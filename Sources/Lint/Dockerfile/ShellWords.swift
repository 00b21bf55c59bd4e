/// Word splitting, quote removal and variable substitution as BuildKit's shell lexer does it
/// for ENV, ARG, LABEL, COPY, FROM, … (not a full shell: RUN text goes to `/bin/sh` unexpanded).
public enum ShellWords {
    /// Splits on unquoted blanks, keeping quotes and escapes in the words (raw words).
    public static func split(_ text: String, escape: Character = "\\") -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var chars = text.makeIterator()
        while let c = chars.next() {
            if let q = quote {
                current.append(c)
                if c == escape, q == "\"", let next = chars.next() { current.append(next); continue }
                if c == q { quote = nil }
                continue
            }
            if c == " " || c == "\t" || c == "\n" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            inWord = true
            current.append(c)
            if c == escape, let next = chars.next() { current.append(next); continue }
            if c == "\"" || c == "'" { quote = c }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Removes quotes and escapes from one word and expands `$VAR`, `${VAR}`, `${VAR:-default}`,
    /// `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}` (single quotes suppress expansion).
    /// `lookup` returns nil for an unset variable (expanded to the empty string).
    public static func process(_ word: String, escape: Character = "\\", lookup: (String) -> String?) -> String {
        withoutActuallyEscaping(lookup) { lookup in
            var processor = Processor(chars: Array(word), escape: escape, lookup: lookup)
            return processor.run()
        }
    }

    /// `split` then `process` on each word.
    public static func words(_ text: String, escape: Character = "\\", lookup: (String) -> String?) -> [String] {
        split(text, escape: escape).map { process($0, escape: escape, lookup: lookup) }
    }

    /// Names of the variables a text references (`$A`, `${B:-x}` → A, B), in order, once each.
    public static func variables(in text: String, escape: Character = "\\") -> [String] {
        var names: [String] = []
        _ = process(text, escape: escape) { name in
            if !names.contains(name) { names.append(name) }
            return nil
        }
        return names
    }

    struct Processor {
        var chars: [Character]
        var escape: Character
        var lookup: (String) -> String?
        var i = 0
        /// Nesting of `${…:-${…}}`: bounded so hostile input cannot exhaust the stack.
        var depth = 0

        mutating func run() -> String {
            var out = ""
            while i < chars.count {
                let c = chars[i]
                if c == escape {
                    i += 1
                    if i < chars.count { out.append(chars[i]); i += 1 }
                    continue
                }
                if c == "'" {
                    i += 1
                    while i < chars.count, chars[i] != "'" { out.append(chars[i]); i += 1 }
                    i += 1
                    continue
                }
                if c == "\"" {
                    i += 1
                    while i < chars.count, chars[i] != "\"" {
                        let d = chars[i]
                        if d == escape, i + 1 < chars.count, ["\"", "$", escape].contains(chars[i + 1]) {
                            out.append(chars[i + 1])
                            i += 2
                            continue
                        }
                        if d == "$" { out += dollar(); continue }
                        out.append(d)
                        i += 1
                    }
                    i += 1
                    continue
                }
                if c == "$" { out += dollar(); continue }
                out.append(c)
                i += 1
            }
            return out
        }

        static func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        static func isName(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }

        /// At a `$`: expands a variable reference, or returns `$` when none follows.
        mutating func dollar() -> String {
            i += 1
            guard i < chars.count else { return "$" }
            if chars[i] == "{" {
                i += 1
                var name = ""
                while i < chars.count, Self.isName(chars[i]) { name.append(chars[i]); i += 1 }
                guard i < chars.count else { return "" }
                if chars[i] == "}" { i += 1; return lookup(name) ?? "" }
                var modifier = ""
                if chars[i] == ":" { modifier = ":"; i += 1 }
                guard i < chars.count else { return "" }
                modifier.append(chars[i])
                i += 1
                // The word up to the matching brace, itself processed (nested ${} allowed).
                var braces = 1
                var inner: [Character] = []
                while i < chars.count {
                    if chars[i] == "{" { braces += 1 }
                    if chars[i] == "}" { braces -= 1; if braces == 0 { break } }
                    inner.append(chars[i])
                    i += 1
                }
                i += 1
                var word = String(inner)
                if depth < 32 {
                    var sub = Processor(chars: inner, escape: escape, lookup: lookup, depth: depth + 1)
                    word = sub.run()
                }
                let value = lookup(name)
                switch modifier {
                case ":-": return (value?.isEmpty ?? true) ? word : value!
                case "-": return value ?? word
                case ":+": return (value?.isEmpty ?? true) ? "" : word
                case "+": return value == nil ? "" : word
                case ":?", "?": return value ?? ""
                default: return value ?? ""
                }
            }
            guard Self.isNameStart(chars[i]) else { return "$" }
            var name = ""
            while i < chars.count, Self.isName(chars[i]) { name.append(chars[i]); i += 1 }
            return lookup(name) ?? ""
        }
    }
}
