import Foundation
import LayerIndex
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style patterns (`*`, `?`, `[…]`) for `--repo` and `--tag`; `*` also crosses `/`.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }

    static func isLiteral(_ pattern: String) -> Bool {
        !pattern.contains(where: { "*?[".contains($0) })
    }
}

extension RegistryClient {
    /// Every image (repository and tag) the registry lists that the patterns select, in
    /// catalog order then tag order. A literal `repoPattern` skips the catalog, so registries
    /// that do not publish one (Docker Hub) still work.
    public func listImages(repoPattern: String?, tagPattern: String?, pageSize: Int? = nil) throws -> [ImageReference] {
        var repositories: [String]
        if let repoPattern, Glob.isLiteral(repoPattern) {
            repositories = [repoPattern]
        } else {
            do {
                repositories = try catalog(pageSize: pageSize)
            } catch let error as StrataError {
                throw StrataError("\(error.message); this registry may not publish a catalog: name repositories with --repo")
            }
            if let repoPattern { repositories = repositories.filter { Glob.matches(repoPattern, $0) } }
        }
        var images: [ImageReference] = []
        for repository in repositories {
            guard ImageReference.isValidRepository(repository) else { continue }
            var tagList = try tags(repository: repository, pageSize: pageSize)
            if let tagPattern { tagList = tagList.filter { Glob.matches(tagPattern, $0) } }
            for tag in tagList where ImageReference.isValidTag(tag) {
                images.append(ImageReference(registry: registry, repository: repository, tag: tag))
            }
        }
        return images
    }
}
