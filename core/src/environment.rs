//! The execution-environment lifecycle (docs/model.md §1).
//!
//! One [`Environment`] serves one request at a time. Its state changes only
//! through [`Environment::apply`], whose single `match (state, event)` is the
//! allowed-transition table of docs/model.md §1; anything else is
//! [`StateError::InvalidTransition`] and leaves the environment unchanged.
//! What an environment *is* (on-demand or provisioned, reset or not, attached
//! to an invocation or not) lives beside the state, and the transition table
//! keeps the two consistent.

use crate::time::Instant;
use core::fmt;
use serde::{Deserialize, Serialize};

/// Where an environment is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum EnvState {
    /// A new microVM is starting and the code package is downloading.
    Creating = 0,
    /// Extensions, runtime and the function's static init are running.
    Initializing = 1,
    /// Frozen after an invoke, reusable without init.
    Idle = 2,
    /// Running a handler.
    Busy = 3,
    /// Being reclaimed; it will serve nothing more.
    ShuttingDown = 4,
    /// Gone. Its slot is free for a new environment.
    Terminated = 5,
}

impl EnvState {
    /// The state's name as docs/model.md §1 writes it.
    pub const fn name(self) -> &'static str {
        match self {
            EnvState::Creating => "Creating",
            EnvState::Initializing => "Initializing",
            EnvState::Idle => "Idle",
            EnvState::Busy => "Busy",
            EnvState::ShuttingDown => "ShuttingDown",
            EnvState::Terminated => "Terminated",
        }
    }
}

impl fmt::Display for EnvState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether an environment belongs to provisioned concurrency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum EnvKind {
    /// Created on demand by an invoke that found no idle environment.
    OnDemand = 0,
    /// Pre-initialized by a provisioned-concurrency allocation.
    Provisioned = 1,
}

/// Something that happens to an environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnvEvent {
    /// Sandbox started and code downloaded.
    SandboxReady,
    /// Init finished within its limit.
    InitDone,
    /// Init failed or exceeded its limit.
    InitFailed,
    /// An invocation is routed to this idle environment.
    Invoke,
    /// The attached invocation ended. `reset` for a timeout or crash, after
    /// which the next use re-runs init (a partial cold start).
    Finish {
        /// The invocation failed in a way that resets the environment.
        reset: bool,
    },
    /// A provisioned environment is re-initialized in place (periodic recycling).
    Recycle,
    /// The environment is reclaimed (idle timeout, max lifetime, released
    /// provisioned concurrency, a configuration change).
    Reclaim,
    /// Shutdown finished.
    ShutdownDone,
}

/// A transition the lifecycle does not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StateError {
    /// `event` is not allowed in state `from`; nothing changed.
    InvalidTransition {
        /// The state the environment was in.
        from: EnvState,
        /// The event that was refused.
        event: EnvEvent,
    },
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateError::InvalidTransition { from, event } => {
                write!(f, "invalid environment transition: {event:?} in state {from}")
            }
        }
    }
}

impl core::error::Error for StateError {}

/// One execution environment: its state and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    state: EnvState,
    kind: EnvKind,
    /// An invocation is attached (busy, or cold-starting for one).
    attached: bool,
    /// The next invoke must re-run init (partial cold start).
    reset: bool,
    /// When the environment was created or last re-initialized.
    born_at: Instant,
    /// When it last entered its current state.
    since: Instant,
}

impl Environment {
    /// A new environment entering `Creating`, attached to an invocation
    /// (on-demand full cold start) or not (provisioned allocation).
    pub const fn create(now: Instant, kind: EnvKind, attached: bool) -> Self {
        Environment { state: EnvState::Creating, kind, attached, reset: false, born_at: now, since: now }
    }

    /// A terminated environment: what an empty slot of a table holds.
    pub const fn terminated() -> Self {
        Environment {
            state: EnvState::Terminated,
            kind: EnvKind::OnDemand,
            attached: false,
            reset: false,
            born_at: Instant::ZERO,
            since: Instant::ZERO,
        }
    }

    /// The current state.
    pub const fn state(&self) -> EnvState {
        self.state
    }
    /// On-demand or provisioned.
    pub const fn kind(&self) -> EnvKind {
        self.kind
    }
    /// Whether an invocation is attached (this environment counts as busy).
    pub const fn is_attached(&self) -> bool {
        self.attached
    }
    /// Whether the next invoke re-runs init.
    pub const fn is_reset(&self) -> bool {
        self.reset
    }
    /// When the environment was created or last recycled.
    pub const fn born_at(&self) -> Instant {
        self.born_at
    }
    /// When the environment entered its current state.
    pub const fn since(&self) -> Instant {
        self.since
    }
    /// Whether the environment is live: not shutting down and not terminated.
    pub const fn is_live(&self) -> bool {
        !matches!(self.state, EnvState::ShuttingDown | EnvState::Terminated)
    }

    /// Moves the environment's timestamps `by` later: where periodic
    /// recycling leaves an idle or re-initializing provisioned environment
    /// after `by`, a whole number of its recycling periods (the region's
    /// fast-forward of long quiet spans). The state does not change.
    pub(crate) fn shift(&mut self, by: crate::time::Duration) {
        self.born_at = self.born_at.saturating_add(by);
        self.since = self.since.saturating_add(by);
    }

    /// Applies `event` at `now`: the one place an environment changes state.
    ///
    /// # Errors
    /// [`StateError::InvalidTransition`] when docs/model.md §1 does not allow `event`
    /// in the current state; the environment is then unchanged.
    #[inline(always)]
    pub fn apply(&mut self, now: Instant, event: EnvEvent) -> Result<EnvState, StateError> {
        use EnvEvent as E;
        use EnvState as S;
        let refuse = Err(StateError::InvalidTransition { from: self.state, event });
        let next = match (self.state, event) {
            (S::Creating, E::SandboxReady) => S::Initializing,
            (S::Initializing, E::InitDone) if self.attached => S::Busy,
            (S::Initializing, E::InitDone) => S::Idle,
            (S::Creating | S::Initializing, E::InitFailed) => S::ShuttingDown,
            // A reset environment re-runs init first: a partial cold start.
            (S::Idle, E::Invoke) if self.reset => S::Initializing,
            (S::Idle, E::Invoke) => S::Busy,
            (S::Busy, E::Finish { .. }) => S::Idle,
            // A partial cold start's init runs inside the invoke: a timeout
            // or crash there ends the invocation and leaves the env reset.
            (S::Initializing, E::Finish { reset: true }) if self.attached => S::Idle,
            (S::Idle, E::Recycle) if self.kind == EnvKind::Provisioned => S::Initializing,
            // Unattached provisioned envs may be released mid-allocation.
            (S::Creating | S::Initializing, E::Reclaim) if !self.attached => S::ShuttingDown,
            (S::Idle, E::Reclaim) => S::ShuttingDown,
            (S::ShuttingDown, E::ShutdownDone) => S::Terminated,
            _ => return refuse,
        };
        self.set_state(now, event, next);
        Ok(next)
    }

    /// The choke point for every state change and the flags that go with it.
    #[inline]
    fn set_state(&mut self, now: Instant, event: EnvEvent, next: EnvState) {
        match event {
            EnvEvent::Invoke => self.attached = true,
            EnvEvent::Finish { reset } => {
                self.attached = false;
                self.reset = reset;
            }
            EnvEvent::InitDone => self.reset = false,
            EnvEvent::InitFailed => self.attached = false,
            EnvEvent::Recycle => self.born_at = now,
            _ => {}
        }
        self.state = next;
        self.since = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: u64) -> Instant {
        Instant::from_secs(s)
    }

    #[test]
    fn full_cold_start_then_warm_reuse() {
        let mut e = Environment::create(t(0), EnvKind::OnDemand, true);
        assert_eq!(e.apply(t(0), EnvEvent::SandboxReady), Ok(EnvState::Initializing));
        assert_eq!(e.apply(t(1), EnvEvent::InitDone), Ok(EnvState::Busy));
        assert_eq!(e.apply(t(2), EnvEvent::Finish { reset: false }), Ok(EnvState::Idle));
        assert!(!e.is_attached());
        assert_eq!(e.apply(t(3), EnvEvent::Invoke), Ok(EnvState::Busy));
        assert_eq!(e.since(), t(3));
    }

    #[test]
    fn reset_env_reinitializes_on_next_invoke() {
        let mut e = Environment::create(t(0), EnvKind::OnDemand, true);
        e.apply(t(0), EnvEvent::SandboxReady).unwrap();
        e.apply(t(0), EnvEvent::InitDone).unwrap();
        e.apply(t(5), EnvEvent::Finish { reset: true }).unwrap();
        assert!(e.is_reset());
        assert_eq!(e.apply(t(6), EnvEvent::Invoke), Ok(EnvState::Initializing));
        assert_eq!(e.apply(t(7), EnvEvent::InitDone), Ok(EnvState::Busy));
        assert!(!e.is_reset());
    }

    #[test]
    fn provisioned_env_initializes_to_idle_and_recycles() {
        let mut e = Environment::create(t(0), EnvKind::Provisioned, false);
        e.apply(t(0), EnvEvent::SandboxReady).unwrap();
        assert_eq!(e.apply(t(1), EnvEvent::InitDone), Ok(EnvState::Idle));
        assert_eq!(e.apply(t(9), EnvEvent::Recycle), Ok(EnvState::Initializing));
        assert_eq!(e.born_at(), t(9));
    }

    #[test]
    fn invalid_transitions_change_nothing() {
        let mut e = Environment::create(t(0), EnvKind::OnDemand, true);
        let before = e;
        let err = e.apply(t(1), EnvEvent::Finish { reset: false });
        assert_eq!(
            err,
            Err(StateError::InvalidTransition { from: EnvState::Creating, event: EnvEvent::Finish { reset: false } })
        );
        assert_eq!(e, before);
        // An attached env cannot be reclaimed mid cold start; an on-demand one cannot recycle.
        assert!(e.apply(t(1), EnvEvent::Reclaim).is_err());
        e.apply(t(1), EnvEvent::SandboxReady).unwrap();
        e.apply(t(1), EnvEvent::InitDone).unwrap();
        assert!(e.apply(t(1), EnvEvent::Invoke).is_err());
        e.apply(t(2), EnvEvent::Finish { reset: false }).unwrap();
        e.apply(t(2), EnvEvent::Invoke).unwrap();
        e.apply(t(2), EnvEvent::Finish { reset: true }).unwrap();
        e.apply(t(2), EnvEvent::Invoke).unwrap();
        assert_eq!(e.state(), EnvState::Initializing);
        assert!(e.apply(t(2), EnvEvent::Finish { reset: false }).is_err(), "a success cannot end an init");
        assert_eq!(e.apply(t(2), EnvEvent::Finish { reset: true }), Ok(EnvState::Idle));
        assert!(e.is_reset());
        assert!(e.apply(t(2), EnvEvent::Recycle).is_err());
        e.apply(t(3), EnvEvent::Reclaim).unwrap();
        assert_eq!(e.apply(t(3), EnvEvent::ShutdownDone), Ok(EnvState::Terminated));
        assert!(e.apply(t(3), EnvEvent::Invoke).is_err());
        assert!(!e.is_live());
    }

    #[test]
    fn init_failure_detaches_and_shuts_down() {
        let mut e = Environment::create(t(0), EnvKind::OnDemand, true);
        e.apply(t(0), EnvEvent::SandboxReady).unwrap();
        assert_eq!(e.apply(t(10), EnvEvent::InitFailed), Ok(EnvState::ShuttingDown));
        assert!(!e.is_attached());
    }
}
