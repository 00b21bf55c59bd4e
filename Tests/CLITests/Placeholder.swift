import Testing

// Tests for this module land with the module.
