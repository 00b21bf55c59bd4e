// The Scanner module: see DESIGN.md. Replaced as the module is built.
enum ScannerModule {}
