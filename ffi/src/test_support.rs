//! Helpers the C ABI's test modules share.

use super::*;
use std::ptr::null_mut;

/// A region with the default configuration.
pub(crate) fn region() -> *mut lsim_region {
    let mut r = null_mut();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_region_new(&lsim_region_config::defaults(), &mut r) }, lsim_status::Ok);
    r
}

/// A function with the default configuration, created at t = 0.
pub(crate) fn create(r: *mut lsim_region) -> lsim_function {
    let mut f = lsim_function::default();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_function_create(r, 0, &lsim_function_config::defaults(), &mut f) }, lsim_status::Ok);
    f
}
