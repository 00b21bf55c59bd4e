import CCurl
import Foundation

/// libcurl, loaded with `dlopen` the first time a registry is contacted.
///
/// Linking it would map its ~30 dependencies (TLS, Kerberos, LDAP, SSH…) into every strata
/// process, registry or not, at ~7 ms per start (a cached re-scan takes under 30 ms in all).
/// Each function strata uses is looked up once; a missing library or symbol is one clear error
/// on the registry request that needed it, never a crash at start.
struct CurlLibrary: @unchecked Sendable {
    typealias Easy = UnsafeMutableRawPointer
    typealias Multi = UnsafeMutableRawPointer
    typealias List = UnsafeMutablePointer<curl_slist>

    /// `curl_easy_setopt`, called through the typed `strata_curl_setopt_*` shims (it is variadic).
    let setopt: UnsafeMutableRawPointer
    let easyInit: @convention(c) () -> Easy?
    let easyReset: @convention(c) (Easy?) -> Void
    let easyCleanup: @convention(c) (Easy?) -> Void
    let easyPause: @convention(c) (Easy?, Int32) -> CURLcode
    let easyStrerror: @convention(c) (CURLcode) -> UnsafePointer<CChar>?
    let slistAppend: @convention(c) (List?, UnsafePointer<CChar>?) -> List?
    let slistFreeAll: @convention(c) (List?) -> Void
    let multiInit: @convention(c) () -> Multi?
    let multiAddHandle: @convention(c) (Multi?, Easy?) -> CURLMcode
    let multiRemoveHandle: @convention(c) (Multi?, Easy?) -> CURLMcode
    let multiPerform: @convention(c) (Multi?, UnsafeMutablePointer<Int32>?) -> CURLMcode
    let multiPoll: @convention(c) (Multi?, UnsafeMutablePointer<curl_waitfd>?, UInt32, Int32, UnsafeMutablePointer<Int32>?) -> CURLMcode
    let multiInfoRead: @convention(c) (Multi?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CURLMsg>?
    let multiCleanup: @convention(c) (Multi?) -> CURLMcode

    /// The library, loaded and globally initialised once per process, or why it could not be.
    static let shared: Result<CurlLibrary, HTTPTransportError> = load(names: ["libcurl.so.4", "libcurl-gnutls.so.4"])

    /// Tries each file name in turn (OpenSSL build first, then Debian's GnuTLS build).
    static func load(names: [String]) -> Result<CurlLibrary, HTTPTransportError> {
        var reasons: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            do {
                let library = try CurlLibrary(handle: handle)
                let initialise = try CurlLibrary.symbol(handle, "curl_global_init", as: (@convention(c) (Int) -> CURLcode).self)
                guard initialise(strata_curl_global_default()) == CURLE_OK else {
                    return .failure(HTTPTransportError(code: -1, message: "libcurl (\(name)) could not be initialised", url: ""))
                }
                return .success(library)
            } catch {
                return .failure(HTTPTransportError(code: -1, message: "\(name): \(error)", url: ""))
            }
        }
        return .failure(HTTPTransportError(
            code: -1, message: "registry access needs libcurl (apt-get install libcurl4): \(reasons.joined(separator: "; "))", url: ""))
    }

    private struct MissingSymbol: Error, CustomStringConvertible {
        let name: String
        var description: String { "libcurl has no \(name) (too old?)" }
    }

    private static func symbol<T>(_ handle: UnsafeMutableRawPointer, _ name: String, as type: T.Type) throws -> T {
        guard let address = dlsym(handle, name) else { throw MissingSymbol(name: name) }
        return unsafeBitCast(address, to: type)
    }

    private init(handle: UnsafeMutableRawPointer) throws {
        func look<T>(_ name: String, _ type: T.Type) throws -> T { try CurlLibrary.symbol(handle, name, as: type) }
        guard let setopt = dlsym(handle, "curl_easy_setopt") else { throw MissingSymbol(name: "curl_easy_setopt") }
        self.setopt = setopt
        easyInit = try look("curl_easy_init", (@convention(c) () -> Easy?).self)
        easyReset = try look("curl_easy_reset", (@convention(c) (Easy?) -> Void).self)
        easyCleanup = try look("curl_easy_cleanup", (@convention(c) (Easy?) -> Void).self)
        easyPause = try look("curl_easy_pause", (@convention(c) (Easy?, Int32) -> CURLcode).self)
        easyStrerror = try look("curl_easy_strerror", (@convention(c) (CURLcode) -> UnsafePointer<CChar>?).self)
        slistAppend = try look("curl_slist_append", (@convention(c) (List?, UnsafePointer<CChar>?) -> List?).self)
        slistFreeAll = try look("curl_slist_free_all", (@convention(c) (List?) -> Void).self)
        multiInit = try look("curl_multi_init", (@convention(c) () -> Multi?).self)
        multiAddHandle = try look("curl_multi_add_handle", (@convention(c) (Multi?, Easy?) -> CURLMcode).self)
        multiRemoveHandle = try look("curl_multi_remove_handle", (@convention(c) (Multi?, Easy?) -> CURLMcode).self)
        multiPerform = try look("curl_multi_perform", (@convention(c) (Multi?, UnsafeMutablePointer<Int32>?) -> CURLMcode).self)
        multiPoll = try look("curl_multi_poll", (@convention(c) (Multi?, UnsafeMutablePointer<curl_waitfd>?, UInt32, Int32,
                                                                  UnsafeMutablePointer<Int32>?) -> CURLMcode).self)
        multiInfoRead = try look("curl_multi_info_read",
                                 (@convention(c) (Multi?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CURLMsg>?).self)
        multiCleanup = try look("curl_multi_cleanup", (@convention(c) (Multi?) -> CURLMcode).self)
    }

    // Typed `curl_easy_setopt` calls.
    @discardableResult func set(_ easy: Easy, _ option: CURLoption, _ value: Int) -> CURLcode {
        strata_curl_setopt_long(setopt, easy, option, value)
    }
    @discardableResult func set(_ easy: Easy, _ option: CURLoption, _ value: String) -> CURLcode {
        strata_curl_setopt_str(setopt, easy, option, value)
    }
    @discardableResult func set(_ easy: Easy, _ option: CURLoption, pointer: UnsafeRawPointer?) -> CURLcode {
        strata_curl_setopt_ptr(setopt, easy, option, pointer)
    }
    @discardableResult func set(_ easy: Easy, _ option: CURLoption, callback: strata_curl_write_cb) -> CURLcode {
        strata_curl_setopt_write(setopt, easy, option, callback)
    }
}
