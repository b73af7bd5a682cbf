//! Development automation for the stance workspace.

fn main() {}
