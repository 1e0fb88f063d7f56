//! A function's deployment state (docs/model.md §8): `Pending` while its
//! network interfaces are made, `Active`, `Inactive` after a VPC function
//! idles long enough, `Failed` when they cannot be made; and the
//! `LastUpdateStatus` of a VPC-configuration update, during which
//! invocations keep the old configuration.
//!
//! # Guarantees
//! - Time-driven changes (Pending → Active, Active → Inactive, an update
//!   completing) depend only on the clock and are applied by the next call
//!   at or after their time, so no timer is needed and the answer is the
//!   same whenever the caller asks.
//! - No heap; a [`Deployment`] is a small `Copy` value the caller keeps
//!   per function, next to the [`Vpc`] its interfaces live in.
//!
//! # Examples
//! ```
//! use lambdasim::deployment::{Deployment, FunctionState, StateError};
//! use lambdasim::vpc::{Ec2Permissions, Reachability, Route, Routes, SecurityGroups, Service, Subnets, Unreachable, Vpc, VpcConfig};
//! use lambdasim::{Duration, Instant};
//!
//! // A private subnet: no NAT gateway, an S3 gateway endpoint.
//! let mut vpc: Vpc<16> = Vpc::default();
//! vpc.set_routes(0, Routes { s3_gateway_endpoint: true, ..Routes::default() });
//! let config = VpcConfig {
//!     subnets: Subnets::one(0).unwrap(),
//!     security_groups: SecurityGroups::one(0).unwrap(),
//!     permissions: Ec2Permissions::MANAGED_POLICY,
//! };
//! let idle = Deployment::DEFAULT_INACTIVE_AFTER; // 14 days
//! let mut f = Deployment::create(Instant::ZERO, Some(config), &mut vpc, idle);
//! // Pending while its Hyperplane ENI is made (90 s): invokes fail.
//! assert_eq!(f.invoke(Instant::from_secs(30), &mut vpc, idle), Err(StateError::ResourceNotReady));
//! assert_eq!(f.state(Instant::from_secs(90), &mut vpc, idle).0, FunctionState::Active);
//! assert_eq!(f.invoke(Instant::from_secs(90), &mut vpc, idle), Ok(()));
//! // A second function on the same subnet and security groups shares the ENI.
//! let _g = Deployment::create(Instant::from_secs(90), Some(config), &mut vpc, idle);
//! assert_eq!(vpc.eni_count(Instant::from_secs(90)), 1);
//! // S3 through the gateway endpoint; no internet without a NAT gateway.
//! assert_eq!(vpc.reach(f.vpc_config(), Service::S3), Reachability::Reachable(Route::GatewayEndpoint));
//! assert_eq!(
//!     vpc.reach(f.vpc_config(), Service::Internet),
//!     Reachability::Unreachable { subnet: 0, why: Unreachable::NoNatGateway }
//! );
//! // Without the role's EC2 permissions the function is Failed.
//! let denied = VpcConfig { permissions: Ec2Permissions::NONE, ..config };
//! let mut h = Deployment::create(Instant::ZERO, Some(denied), &mut vpc, idle);
//! assert_eq!(h.invoke(Instant::from_secs(90), &mut vpc, idle), Err(StateError::Ec2AccessDenied));
//! // Both idle 14 days: Inactive, the ENI reclaimed; the next invoke fails
//! // and the ENI is made again (Pending 90 s).
//! let later = Instant::from_secs(90).saturating_add(idle);
//! assert_eq!(f.state(later, &mut vpc, idle).0, FunctionState::Inactive);
//! assert_eq!(vpc.eni_count(later), 0);
//! assert_eq!(f.invoke(later, &mut vpc, idle), Err(StateError::FunctionInactive));
//! assert_eq!(f.invoke(later.saturating_add(Duration::from_secs(89)), &mut vpc, idle), Err(StateError::ResourceNotReady));
//! assert_eq!(f.invoke(later.saturating_add(Duration::from_secs(90)), &mut vpc, idle), Ok(()));
//! ```

use crate::time::{Duration, Instant};
use crate::vpc::{Vpc, VpcConfig, VpcError};

/// A function's state, as `GetFunction` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FunctionState {
    /// Its network interfaces are being created: invokes fail.
    Pending,
    /// Ready to invoke.
    Active,
    /// A VPC function idle for the inactivity setting: the next invoke
    /// fails and starts making its interfaces again.
    Inactive,
    /// Its interfaces could not be made (see [`StateReasonCode`]).
    Failed,
}

/// Why a function is in its state (AWS's `StateReasonCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateReasonCode {
    /// Active, or Pending after create.
    Creating,
    /// Inactive: idle for the inactivity setting.
    Idle,
    /// Pending again after an invoke of an Inactive function.
    Restoring,
    /// The execution role lacks the EC2 network-interface permissions.
    InsufficientRolePermissions,
    /// The VPC's network-interface quota (500) is reached.
    EniLimitExceeded,
    /// The VPC configuration names no subnet.
    InvalidSubnet,
}

/// The status of the last configuration update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LastUpdateStatus {
    /// Being applied: invocations run the old configuration.
    InProgress,
    /// Applied.
    Successful,
    /// Refused; the old configuration stays.
    Failed,
}

/// Why an invoke was refused before any concurrency check (the function's
/// state, not a throttle).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateError {
    /// `ResourceNotReadyException`: the function is Pending.
    ResourceNotReady,
    /// The function was Inactive: this invoke fails and it is Pending again
    /// (`ResourceNotReadyException` in AWS, named apart here).
    FunctionInactive,
    /// `EC2AccessDeniedException`: Failed for missing role permissions.
    Ec2AccessDenied,
    /// `ENILimitReachedException`: Failed at the VPC's interface quota.
    EniLimitReached,
    /// `InvalidSubnetIDException`: Failed for a configuration without subnet.
    InvalidSubnet,
    /// A VPC inconsistency (a lambdasim bug).
    Internal,
}

/// One function's deployment: its VPC configuration, state and last update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deployment {
    vpc: Option<VpcConfig>,
    state: FunctionState,
    reason: StateReasonCode,
    /// Pending: when its interfaces are ready.
    ready_at: Instant,
    /// The last invoke (or when it became Active), for inactivity.
    active_since: Instant,
    update: Option<Update>,
    last_update: LastUpdateStatus,
}

/// A VPC-configuration update waiting for its interfaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Update {
    config: Option<VpcConfig>,
    ready_at: Instant,
}

impl Deployment {
    /// How long a VPC function may idle before it becomes Inactive by
    /// default (AWS: "consecutive weeks"; 14 days here).
    pub const DEFAULT_INACTIVE_AFTER: Duration = Duration::from_secs(14 * 24 * 3_600);

    /// Creates a function at `now`: without a VPC it is Active at once;
    /// with one it is Pending until its interfaces are made in `vpc`, or
    /// Failed when they cannot be.
    pub fn create<const E: usize>(
        now: Instant,
        config: Option<VpcConfig>,
        vpc: &mut Vpc<E>,
        inactive_after: Duration,
    ) -> Deployment {
        let mut d = Deployment {
            vpc: config,
            state: FunctionState::Active,
            reason: StateReasonCode::Creating,
            ready_at: now,
            active_since: now,
            update: None,
            last_update: LastUpdateStatus::Successful,
        };
        if let Some(c) = config {
            match Self::make_interfaces(now, &c, vpc, inactive_after) {
                Ok(ready_at) => (d.state, d.ready_at) = (FunctionState::Pending, ready_at),
                Err(reason) => (d.state, d.reason, d.vpc) = (FunctionState::Failed, reason, None),
            }
        }
        d
    }

    fn make_interfaces<const E: usize>(
        now: Instant,
        config: &VpcConfig,
        vpc: &mut Vpc<E>,
        inactive_after: Duration,
    ) -> Result<Instant, StateReasonCode> {
        if !config.permissions.sufficient() {
            return Err(StateReasonCode::InsufficientRolePermissions);
        }
        vpc.attach(now, config, inactive_after).map_err(|e| match e {
            VpcError::NoSubnet => StateReasonCode::InvalidSubnet,
            _ => StateReasonCode::EniLimitExceeded,
        })
    }

    /// The state at `now` and why.
    pub fn state<const E: usize>(
        &mut self,
        now: Instant,
        vpc: &mut Vpc<E>,
        inactive_after: Duration,
    ) -> (FunctionState, StateReasonCode) {
        self.refresh(now, vpc, inactive_after);
        (self.state, self.reason)
    }

    /// The last update's status at `now`.
    pub fn last_update_status<const E: usize>(
        &mut self,
        now: Instant,
        vpc: &mut Vpc<E>,
        inactive_after: Duration,
    ) -> LastUpdateStatus {
        self.refresh(now, vpc, inactive_after);
        self.last_update
    }

    /// The VPC configuration invocations run with at `now` (the old one
    /// while an update is in progress).
    pub fn vpc_config(&self) -> Option<&VpcConfig> {
        self.vpc.as_ref()
    }

    /// Applies what time did by `now`: interfaces ready, an update done,
    /// inactivity.
    fn refresh<const E: usize>(&mut self, now: Instant, vpc: &mut Vpc<E>, inactive_after: Duration) {
        if self.state == FunctionState::Pending && now >= self.ready_at {
            (self.state, self.reason, self.active_since) =
                (FunctionState::Active, StateReasonCode::Creating, self.ready_at);
        }
        if let Some(u) = self.update.filter(|u| now >= u.ready_at) {
            if let Some(old) = self.vpc {
                // Cannot fail: the old configuration's interfaces are attached.
                let _ = vpc.detach(&old);
            }
            (self.vpc, self.update, self.last_update) = (u.config, None, LastUpdateStatus::Successful);
        }
        let idle_until = self.active_since.saturating_add(inactive_after);
        if self.state == FunctionState::Active && self.vpc.is_some() && self.update.is_none() && now >= idle_until {
            (self.state, self.reason) = (FunctionState::Inactive, StateReasonCode::Idle);
            if let Some(c) = self.vpc {
                let _ = vpc.detach(&c);
            }
        }
    }

    /// An invoke at `now`: `Ok` when the function is Active (it then stays
    /// Active for `inactive_after` more). An Inactive function's invoke
    /// fails and starts making its interfaces again (Pending).
    ///
    /// # Errors
    /// A [`StateError`] naming the state that refused it.
    pub fn invoke<const E: usize>(
        &mut self,
        now: Instant,
        vpc: &mut Vpc<E>,
        inactive_after: Duration,
    ) -> Result<(), StateError> {
        self.refresh(now, vpc, inactive_after);
        match (self.state, self.reason) {
            (FunctionState::Active, _) => {
                // A call with an earlier time never shortens the idle span.
                self.active_since = self.active_since.max(now);
                if let Some(c) = self.vpc {
                    vpc.touch(now, &c, inactive_after);
                }
                Ok(())
            }
            (FunctionState::Pending, _) => Err(StateError::ResourceNotReady),
            (FunctionState::Inactive, _) => {
                let config = self.vpc.ok_or(StateError::Internal)?;
                match Self::make_interfaces(now, &config, vpc, inactive_after) {
                    Ok(ready_at) => {
                        (self.state, self.reason, self.ready_at) =
                            (FunctionState::Pending, StateReasonCode::Restoring, ready_at);
                    }
                    Err(reason) => (self.state, self.reason, self.vpc) = (FunctionState::Failed, reason, None),
                }
                Err(StateError::FunctionInactive)
            }
            (FunctionState::Failed, StateReasonCode::InsufficientRolePermissions) => Err(StateError::Ec2AccessDenied),
            (FunctionState::Failed, StateReasonCode::InvalidSubnet) => Err(StateError::InvalidSubnet),
            (FunctionState::Failed, _) => Err(StateError::EniLimitReached),
        }
    }

    /// Updates an Active function's VPC configuration at `now`. Its new
    /// interfaces are made first (`InProgress`, invocations keep the old
    /// configuration), then it switches (`Successful`); when they cannot be
    /// made the update is `Failed` and the old configuration stays.
    /// Leaving a VPC (`None`) is immediate.
    ///
    /// # Errors
    /// [`StateError::ResourceNotReady`] unless the function is Active or an
    /// update is already in progress.
    pub fn update_vpc_config<const E: usize>(
        &mut self,
        now: Instant,
        config: Option<VpcConfig>,
        vpc: &mut Vpc<E>,
        inactive_after: Duration,
    ) -> Result<LastUpdateStatus, StateError> {
        self.refresh(now, vpc, inactive_after);
        if self.state != FunctionState::Active || self.update.is_some() {
            return Err(StateError::ResourceNotReady);
        }
        let ready_at = match config {
            None => now,
            Some(c) => match Self::make_interfaces(now, &c, vpc, inactive_after) {
                Ok(ready_at) => ready_at,
                Err(_) => {
                    self.last_update = LastUpdateStatus::Failed;
                    return Ok(self.last_update);
                }
            },
        };
        (self.update, self.last_update) = (Some(Update { config, ready_at }), LastUpdateStatus::InProgress);
        self.refresh(now, vpc, inactive_after);
        Ok(self.last_update)
    }
}
