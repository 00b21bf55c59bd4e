import ArgumentParser
import Explorer
import Foundation
import ImageSource
import LayerIndex

/// `strata demo`: the built-in demo image, opened in the explorer or written out as a docker-archive.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the built-in demo image, which leaks secrets every way images do.")

    @Option(name: .long, help: "Write the demo as a docker-archive to FILE instead of opening it.")
    var write: String?

    func run() throws {
        if let write {
            throw StrataError("writing archives needs the image writer (issue 2), not merged into this build yet", path: write)
        }
        let source = DemoImageSource()
        try ExploreCommand.explore(source: source, producer: DemoScan.producer(source))
    }
}
