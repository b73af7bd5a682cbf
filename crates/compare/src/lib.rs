//! Parallel, deterministic comparison of scored documents.
