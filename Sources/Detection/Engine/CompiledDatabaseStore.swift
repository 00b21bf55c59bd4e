/// Keeps compiled keyword databases between runs, so a process need not compile the same
/// keywords again (a Vectorscan compile of the built-in keywords takes ~4 ms; loading the
/// serialized database takes ~0.01 ms).
///
/// Keys name the exact input (every keyword, its case flag, the library version and mode), so
/// a stored database can only be used for the keywords it was compiled from. Implementations
/// must return bytes exactly as saved, or nil; corruption is for them to detect.
public protocol CompiledDatabaseStore: Sendable {
    func load(key: String) -> [UInt8]?
    func save(key: String, bytes: [UInt8])
}
