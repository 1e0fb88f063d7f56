//! Benchmarks of lambdasim live in `benches/`.
