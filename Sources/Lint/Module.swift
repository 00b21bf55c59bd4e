// The Lint module: see DESIGN.md. Replaced as the module is built.
enum LintModule {}
