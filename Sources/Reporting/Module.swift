// The Reporting module: see DESIGN.md. Replaced as the module is built.
enum ReportingModule {}
