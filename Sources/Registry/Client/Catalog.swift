import Foundation
import LayerIndex

extension RegistryClient {
    static let listLimit = 16 << 20
    static let maxPages = 10_000

    /// Every repository in the registry (`GET /v2/_catalog`, following `Link` pages).
    public func catalog(pageSize: Int? = nil) throws -> [String] {
        struct Page: Decodable { var repositories: [String]? }
        return try paginate("/v2/_catalog", pageSize: pageSize, scope: "registry:catalog:*", what: "registry \(registry): catalog") {
            try JSONDecoder().decode(Page.self, from: $0).repositories ?? []
        }
    }

    /// Every tag of a repository (`GET /v2/REPO/tags/list`, following `Link` pages).
    public func tags(repository: String, pageSize: Int? = nil) throws -> [String] {
        struct Page: Decodable { var tags: [String]? }
        return try paginate("/v2/\(repository)/tags/list", pageSize: pageSize, scope: Self.pullScope(repository),
                            what: "registry \(registry): tags of \(repository)") {
            try JSONDecoder().decode(Page.self, from: $0).tags ?? []
        }
    }

    private func paginate(_ path: String, pageSize: Int?, scope: String, what: String,
                          decode: (Data) throws -> [String]) throws -> [String] {
        var results: [String] = []
        var seen = Set<String>()
        var next: URL? = URL(string: try baseURL().absoluteString + path + (pageSize.map { "?n=\($0)" } ?? ""))
        var pages = 0
        var visited = Set<String>()
        while let url = next {
            pages += 1
            guard pages <= Self.maxPages, visited.insert(url.absoluteString).inserted else {
                throw StrataError("\(what): pagination does not end")
            }
            let response = try request(url: url, scope: scope)
            guard response.status == 200 else { throw failure(response, what: what) }
            let data: Data
            do {
                data = try response.body.readAll(limit: Self.listLimit)
            } catch let error as HTTPTransportError {
                throw StrataError("\(what): \(error)")
            }
            let items: [String]
            do {
                items = try decode(data)
            } catch {
                throw StrataError("\(what): the answer is not the expected JSON")
            }
            for item in items where seen.insert(item).inserted { results.append(item) }
            next = Self.nextLink(response.headers.values("Link"), relativeTo: url)
        }
        return results
    }

    /// The `rel="next"` target of `Link` headers: `</v2/_catalog?last=x&n=2>; rel="next"`.
    static func nextLink(_ values: [String], relativeTo base: URL) -> URL? {
        for value in values {
            for part in value.split(separator: ",") {
                let text = part.trimmingCharacters(in: .whitespaces)
                guard text.hasPrefix("<"), let close = text.firstIndex(of: ">") else { continue }
                let target = String(text[text.index(after: text.startIndex)..<close])
                let params = text[text.index(after: close)...].lowercased().replacingOccurrences(of: " ", with: "")
                guard params.contains("rel=\"next\"") || params.contains("rel=next") else { continue }
                return URL(string: target, relativeTo: base)?.absoluteURL
            }
        }
        return nil
    }
}
