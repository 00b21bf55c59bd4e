// The Registry module: see DESIGN.md. Replaced as the module is built.
enum RegistryModule {}
