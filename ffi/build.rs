//! Gives the shared library the name it is installed under.
//!
//! Cargo names the cdylib `liblambdasim_ffi.so`; `scripts/install.sh` installs
//! it as `liblambdasim.so.<version>` with links `liblambdasim.so.<major>` and
//! `liblambdasim.so`. Programs linked against it must record the major-version
//! name (the SONAME), not the build's file name, so the dynamic loader finds
//! the installed copy and a later compatible release replaces it in place.
//! On macOS the same role is played by the install name.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| String::from("0"));
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let family = env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    let is_apple = matches!(os.as_str(), "macos" | "ios" | "tvos" | "watchos" | "visionos");
    if is_apple {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/liblambdasim.{major}.dylib");
    } else if family.split(',').any(|f| f == "unix") {
        // Every other Unix target links ELF objects with a GNU-compatible linker.
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,liblambdasim.so.{major}");
    }
}
