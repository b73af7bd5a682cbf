//! `stance compare`: wired once the compare crate lands.
