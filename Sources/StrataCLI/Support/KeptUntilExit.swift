/// Values a command keeps until the process exits. A scan report holds every entry of every
/// layer; freeing it object by object costs milliseconds (a quarter of a cached re-scan) that a
/// command about to exit need not spend. Main thread only.
enum KeptUntilExit {
    nonisolated(unsafe) private static var values: [Any] = []

    static func keep(_ value: Any) { values.append(value) }
}
