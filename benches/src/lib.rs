//! Criterion benchmarks live under `benches/benches/`.
