import ArgumentParser
import Explorer
import Foundation
import ImageSource
import LayerIndex

/// `strata demo`: the built-in demo image, opened in the explorer or written out as a docker-archive.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the built-in demo image, which leaks secrets every way images do.",
        discussion: """
        The demo is built in memory: a token written by one RUN and deleted by the next, COPY . sweeping in \
        .env, .aws/credentials and an SSH key, ARG/ENV API_KEY, an opaque whiteout, and a clean \
        RUN --mount=type=secret step. Every secret is fake but well-formed.
        """)

    @Option(name: .long, help: ArgumentHelp("Write the demo as a docker-archive to FILE instead of opening it.", valueName: "FILE.tar"))
    var write: String?

    @OptionGroup var cacheOptions: CacheOptions

    func run() throws {
        let source = DemoImageSource()
        if let write {
            try source.writeDockerArchive(to: write)
            print("wrote \(DemoImageSource.tag) to \(write)")
            return
        }
        try ExploreCommand.explore(source: source, cache: cacheOptions.open(), store: cacheOptions.compiledDatabaseStore)
    }
}
