//! # lambdasim-scenario
//!
//! Scenario files (TOML or JSON) for the lambdasim simulator, and what is
//! done with them: parse and validate with errors that name the file, line,
//! column and field ([`doc`], [`scenario`]); load traces ([`traces`]); run
//! replications ([`run`]); and report the results as text or JSON
//! ([`report`], [`money`]). The `lambdasim` command and the C ABI
//! (`lsim_scenario_*`) both use this crate, so a scenario gives the same
//! answer through every front end.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod alarms;
pub mod bins;
pub mod confidence;
pub mod doc;
mod fields;
pub mod latency;
mod lists;
pub mod metrics;
pub mod money;
pub mod overrides;
pub mod pc_schedule;
pub mod pick;
pub mod progress;
pub mod projection;
pub mod report;
pub mod run;
pub mod scenario;
pub mod study;
pub mod sweep;
mod sweep_text;
pub mod traces;
pub mod workloads;
