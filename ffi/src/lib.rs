//! C ABI for lambdasim (work in progress).
