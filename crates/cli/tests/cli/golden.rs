//! The golden compare report over `seeds/`: wired once the compare crate lands.
