// The Explorer module: see DESIGN.md. Replaced as the module is built.
enum ExplorerModule {}
