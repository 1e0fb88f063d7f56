//! Test support for lambdasim (work in progress).
