//! The `stance` command-line tool.

fn main() {}
