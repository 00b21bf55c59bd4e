import Foundation

/// How often and how patiently requests are retried on 429, 5xx and broken connections.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// First back-off delay in seconds; doubles each time.
    public var baseDelay: Double
    /// Longest back-off between two attempts.
    public var maxDelay: Double
    /// The longest `Retry-After` honoured; a server asking for more is treated as down.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 8, maxRetryAfter: Double = 60) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The delay before attempt `attempt + 1` (attempt counts from 1), with ±20 % jitter.
    public func delay(afterAttempt attempt: Int) -> Double {
        let raw = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return raw * Double.random(in: 0.8...1.2)
    }

    /// Seconds from a `Retry-After` value: delta-seconds or an HTTP date.
    public static func retryAfterSeconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}
