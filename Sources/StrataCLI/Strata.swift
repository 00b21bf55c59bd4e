import ArgumentParser
import Foundation
import LayerIndex

/// The root of strata's command tree. Each subcommand lives in its own file under `Commands/`.
public struct Strata: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "See what a container image really carries: every layer, every file, every secret any layer ever held.",
        subcommands: StrataCommands.all,
        defaultSubcommand: ExploreCommand.self
    )

    public init() {}
}

/// The subcommands, in the order `strata --help` lists them.
enum StrataCommands {
    static let all: [ParsableCommand.Type] = [
        LayersCommand.self,
        LsCommand.self,
        LintCommand.self,
        ContextCommand.self,
        WhereCommand.self,
        CacheCommand.self,
        ScanCommand.self,
        ExploreCommand.self,
        DemoCommand.self,
        RegistryCommand.self,
    ]
}

/// Runs strata as a process: parses, runs, and maps errors to one line and an exit code
/// (0 ok, 1 findings, 2 errors), never a stack trace.
public enum StrataMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        do {
            var command = try Strata.parseAsRoot(arguments)
            try command.run()
            exit(0)
        } catch let error as StrataError {
            FileHandle.standardError.write(Data("strata: \(error)\n".utf8))
            exit(2)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = Strata.exitCode(for: error)
            if code == .success || code.rawValue == 0 {
                Strata.exit(withError: error)
            }
            // Usage errors print argument-parser's message, then exit 2 like every other error.
            let message = Strata.fullMessage(for: error)
            FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
            exit(2)
        }
    }
}
