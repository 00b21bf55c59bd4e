import Foundation

/// The output formats of `strata scan`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, json, sarif

    /// Renders `input`; `colour` applies to the table only.
    public func render(_ input: ReportInput, colour: Bool) -> Data {
        switch self {
        case .table: return Data(TableReport.render(input, style: TableReport.Style(colour: colour)).utf8)
        case .json: return JSONReport.render(input)
        case .sarif: return SARIFReport.render(input)
        }
    }
}
