//! A customer VPC as Lambda sees it (docs/model.md §8): subnets with their
//! routes, interface endpoints, the execution role's EC2 permissions, the
//! Hyperplane ENIs functions share, and a reachability query.
//!
//! # Guarantees
//! - No heap: a [`Vpc`] holds its subnets inline and its ENIs in a
//!   fixed-capacity table the caller sizes (`ENIS`, at most the AWS quota of
//!   [`Vpc::ENI_QUOTA`] is ever used); a full table or the quota is an
//!   error, never a panic.
//! - Deterministic: an ENI's creation ends at a fixed delay
//!   ([`Vpc::DEFAULT_ENI_CREATION`] unless set) after it was asked for.
//! - Every operation is O(`ENIS` × subnets of the function), bounded.

use crate::time::{Duration, Instant};

/// Most subnets one [`Vpc`] models (subnet ids are `0..MAX_SUBNETS`).
pub const MAX_SUBNETS: u8 = 16;
/// Most security groups one [`Vpc`] models (group ids are `0..MAX_SECURITY_GROUPS`).
pub const MAX_SECURITY_GROUPS: u8 = 64;

/// The execution role's EC2 permissions a VPC function needs: the five
/// actions of the managed policy `AWSLambdaVPCAccessExecutionRole`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Ec2Permissions(u8);

impl Ec2Permissions {
    /// `ec2:CreateNetworkInterface`.
    pub const CREATE_NETWORK_INTERFACE: Ec2Permissions = Ec2Permissions(1);
    /// `ec2:DescribeNetworkInterfaces`.
    pub const DESCRIBE_NETWORK_INTERFACES: Ec2Permissions = Ec2Permissions(2);
    /// `ec2:DeleteNetworkInterface`.
    pub const DELETE_NETWORK_INTERFACE: Ec2Permissions = Ec2Permissions(4);
    /// `ec2:AssignPrivateIpAddresses`.
    pub const ASSIGN_PRIVATE_IP_ADDRESSES: Ec2Permissions = Ec2Permissions(8);
    /// `ec2:UnassignPrivateIpAddresses`.
    pub const UNASSIGN_PRIVATE_IP_ADDRESSES: Ec2Permissions = Ec2Permissions(16);
    /// No permission.
    pub const NONE: Ec2Permissions = Ec2Permissions(0);
    /// The managed policy `AWSLambdaVPCAccessExecutionRole` attached: all five.
    pub const MANAGED_POLICY: Ec2Permissions = Ec2Permissions(31);

    /// Both sets of actions.
    pub const fn with(self, other: Ec2Permissions) -> Ec2Permissions {
        Ec2Permissions(self.0 | other.0)
    }

    /// Whether every action a VPC function needs is granted.
    pub const fn sufficient(self) -> bool {
        self.0 & Self::MANAGED_POLICY.0 == Self::MANAGED_POLICY.0
    }
}

/// A set of subnets of one VPC (ids `0..MAX_SUBNETS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Subnets(u16);

impl Subnets {
    /// The subnet `id` alone; `None` past [`MAX_SUBNETS`].
    pub const fn one(id: u8) -> Option<Subnets> {
        if id < MAX_SUBNETS { Some(Subnets(1 << id)) } else { None }
    }
    /// This set and subnet `id`; `None` past [`MAX_SUBNETS`].
    pub const fn and(self, id: u8) -> Option<Subnets> {
        if id < MAX_SUBNETS { Some(Subnets(self.0 | 1 << id)) } else { None }
    }
    /// Whether the set holds no subnet.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The subnet ids, lowest first.
    pub fn ids(self) -> impl Iterator<Item = u8> {
        (0..MAX_SUBNETS).filter(move |&i| self.0 & (1 << i) != 0)
    }
}

/// A set of security groups (ids `0..MAX_SECURITY_GROUPS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SecurityGroups(u64);

impl SecurityGroups {
    /// The group `id` alone; `None` past [`MAX_SECURITY_GROUPS`].
    pub const fn one(id: u8) -> Option<SecurityGroups> {
        if id < MAX_SECURITY_GROUPS { Some(SecurityGroups(1 << id)) } else { None }
    }
    /// This set and group `id`; `None` past [`MAX_SECURITY_GROUPS`].
    pub const fn and(self, id: u8) -> Option<SecurityGroups> {
        if id < MAX_SECURITY_GROUPS { Some(SecurityGroups(self.0 | 1 << id)) } else { None }
    }
}

/// A function's VPC configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VpcConfig {
    /// The subnets its network interfaces are in (at least one).
    pub subnets: Subnets,
    /// The security groups of its network interfaces.
    pub security_groups: SecurityGroups,
    /// What its execution role grants.
    pub permissions: Ec2Permissions,
}

/// The routes of one subnet's route table that matter to a function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Routes {
    /// A default route to a NAT gateway (internet and every AWS service).
    pub nat_gateway: bool,
    /// A route to the S3 gateway endpoint.
    pub s3_gateway_endpoint: bool,
    /// A route to the DynamoDB gateway endpoint.
    pub dynamodb_gateway_endpoint: bool,
}

/// Where a function's handler calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// The public internet (a third-party API).
    Internet,
    /// Amazon S3 (gateway endpoint or NAT).
    S3,
    /// Amazon DynamoDB (gateway endpoint or NAT).
    DynamoDb,
    /// Any other AWS service, by an id `0..64` the caller names (SQS,
    /// Secrets Manager, ...): interface endpoint or NAT.
    Other(u8),
}

/// How a call gets out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// A function outside any customer VPC: Lambda's own VPC reaches the
    /// internet and public AWS endpoints.
    LambdaNetwork,
    /// Through a NAT gateway.
    NatGateway,
    /// Through a VPC gateway endpoint (S3, DynamoDB).
    GatewayEndpoint,
    /// Through a VPC interface endpoint.
    InterfaceEndpoint,
}

/// Why a call cannot get out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unreachable {
    /// The internet needs a NAT gateway route.
    NoNatGateway,
    /// S3 or DynamoDB needs its gateway endpoint or a NAT gateway route.
    NoGatewayEndpointOrNat,
    /// Another AWS service needs its interface endpoint or a NAT gateway route.
    NoInterfaceEndpointOrNat,
    /// A service id past the 64 modelled.
    UnknownService,
    /// The VPC configuration names no subnet.
    NoSubnet,
}

/// The answer of [`Vpc::reach`]: reachable, and how; or not, from which
/// subnet, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reachability {
    /// Every subnet of the function reaches the service (the route of the
    /// first subnet).
    Reachable(Route),
    /// An invocation in `subnet` cannot reach it.
    Unreachable {
        /// The first of the function's subnets without a way out.
        subnet: u8,
        /// Why.
        why: Unreachable,
    },
}

/// A VPC error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VpcError {
    /// A function's VPC configuration names no subnet.
    NoSubnet,
    /// A new Hyperplane ENI would pass the quota of ENIs per VPC (500).
    EniLimitExceeded,
    /// The caller's ENI table (`ENIS`) is full, below the quota.
    CapacityExceeded,
    /// An ENI the function used is not in the table (a lambdasim bug).
    Internal,
}

/// One Hyperplane ENI: shared by every function using its (subnet,
/// security-group set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Eni {
    subnet: u8,
    security_groups: SecurityGroups,
    /// Functions attached to it; 0 = a vacant slot.
    users: u32,
    /// When its creation ends.
    ready_at: Instant,
    /// When every function using it will have idled long enough to be
    /// Inactive: Lambda reclaims it then (a pure function of the clock,
    /// whenever the idle functions notice).
    idle_until: Instant,
}

impl Eni {
    fn exists(&self, now: Instant) -> bool {
        self.users > 0 && now < self.idle_until
    }
}

/// One customer VPC: its subnets' routes, its interface endpoints and the
/// Hyperplane ENIs of the functions attached to it. `ENIS` is the table's
/// capacity (keep it small: each slot is 24 bytes).
#[derive(Clone, Copy, Debug)]
pub struct Vpc<const ENIS: usize> {
    routes: [Routes; MAX_SUBNETS as usize],
    interface_endpoints: u64,
    eni_creation: Duration,
    enis: [Eni; ENIS],
}

impl<const ENIS: usize> Default for Vpc<ENIS> {
    fn default() -> Self {
        Vpc {
            routes: [Routes::default(); MAX_SUBNETS as usize],
            interface_endpoints: 0,
            eni_creation: Self::DEFAULT_ENI_CREATION,
            enis: [Eni::default(); ENIS],
        }
    }
}

impl<const ENIS: usize> Vpc<ENIS> {
    /// AWS's quota of network interfaces per VPC for Lambda.
    pub const ENI_QUOTA: usize = 500;
    /// How long creating a Hyperplane ENI takes by default ("several
    /// minutes" in AWS's words; 90 s here).
    pub const DEFAULT_ENI_CREATION: Duration = Duration::from_secs(90);
    /// Connections one Hyperplane ENI carries.
    pub const CONNECTIONS_PER_ENI: u32 = 65_000;

    /// A VPC whose ENIs take `eni_creation` to create.
    pub fn with_eni_creation(eni_creation: Duration) -> Self {
        Vpc { eni_creation, ..Self::default() }
    }

    /// Sets subnet `subnet`'s routes; `None` past [`MAX_SUBNETS`].
    pub fn set_routes(&mut self, subnet: u8, routes: Routes) -> Option<()> {
        *self.routes.get_mut(usize::from(subnet))? = routes;
        Some(())
    }

    /// Adds an interface endpoint for service `Other(id)`; `None` past 64.
    pub fn add_interface_endpoint(&mut self, id: u8) -> Option<()> {
        let bit = 1u64.checked_shl(u32::from(id))?;
        self.interface_endpoints |= bit;
        Some(())
    }

    /// Whether a function with `config` (`None`: not in a customer VPC)
    /// reaches `service`, and how or why not. Every subnet must have a way
    /// out: Lambda may run any invocation in any of them.
    pub fn reach(&self, config: Option<&VpcConfig>, service: Service) -> Reachability {
        let Some(config) = config else {
            return Reachability::Reachable(Route::LambdaNetwork);
        };
        let mut first = None;
        for subnet in config.subnets.ids() {
            match self.reach_from(subnet, service) {
                Ok(route) => first = first.or(Some(route)),
                Err(why) => return Reachability::Unreachable { subnet, why },
            }
        }
        match first {
            Some(route) => Reachability::Reachable(route),
            None => Reachability::Unreachable { subnet: 0, why: Unreachable::NoSubnet },
        }
    }

    fn reach_from(&self, subnet: u8, service: Service) -> Result<Route, Unreachable> {
        let routes = self.routes.get(usize::from(subnet)).copied().unwrap_or_default();
        let endpoint = match service {
            Service::Internet => false,
            Service::S3 => routes.s3_gateway_endpoint,
            Service::DynamoDb => routes.dynamodb_gateway_endpoint,
            Service::Other(id) => {
                let bit = 1u64.checked_shl(u32::from(id)).ok_or(Unreachable::UnknownService)?;
                self.interface_endpoints & bit != 0
            }
        };
        match (service, endpoint, routes.nat_gateway) {
            (Service::Other(_), true, _) => Ok(Route::InterfaceEndpoint),
            (_, true, _) => Ok(Route::GatewayEndpoint),
            (_, false, true) => Ok(Route::NatGateway),
            (Service::Internet, false, false) => Err(Unreachable::NoNatGateway),
            (Service::S3 | Service::DynamoDb, false, false) => Err(Unreachable::NoGatewayEndpointOrNat),
            (Service::Other(_), false, false) => Err(Unreachable::NoInterfaceEndpointOrNat),
        }
    }

    /// Hyperplane ENIs that exist at `now` (being created or ready; not
    /// those reclaimed because every function using them is Inactive).
    pub fn eni_count(&self, now: Instant) -> usize {
        self.enis.iter().filter(|e| e.exists(now)).count()
    }

    /// Attaches a function with `config` at `now`: it uses one ENI per
    /// subnet for its security-group set, sharing any that exists and
    /// creating the others (again, for one reclaimed). Returns when the last
    /// of them is ready; they stay at least `inactive_after` past that.
    ///
    /// # Errors
    /// [`VpcError::NoSubnet`]; [`VpcError::EniLimitExceeded`] or
    /// [`VpcError::CapacityExceeded`] when a new ENI does not fit (nothing
    /// is attached then).
    pub fn attach(&mut self, now: Instant, config: &VpcConfig, inactive_after: Duration) -> Result<Instant, VpcError> {
        if config.subnets.is_empty() {
            return Err(VpcError::NoSubnet);
        }
        let sgs = config.security_groups;
        let missing = config.subnets.ids().filter(|&s| !self.find(s, sgs).is_some_and(|i| self.exists(i, now))).count();
        let existing = self.eni_count(now);
        if existing.saturating_add(missing) > Self::ENI_QUOTA {
            return Err(VpcError::EniLimitExceeded);
        }
        let slotted = config.subnets.ids().filter(|&s| self.find(s, sgs).is_some()).count();
        let free = self.enis.iter().filter(|e| e.users == 0).count();
        if config.subnets.ids().count().saturating_sub(slotted) > free {
            return Err(VpcError::CapacityExceeded);
        }
        let mut ready_at = now;
        for subnet in config.subnets.ids() {
            let i = match self.find(subnet, sgs) {
                Some(i) => i,
                None => self.vacant().ok_or(VpcError::CapacityExceeded)?,
            };
            let creation = self.eni_creation;
            let eni = self.enis.get_mut(i).ok_or(VpcError::Internal)?;
            if !eni.exists(now) {
                // New, or reclaimed while idle functions still hold it: made again.
                (eni.subnet, eni.security_groups, eni.ready_at) = (subnet, sgs, now.saturating_add(creation));
            }
            eni.users = eni.users.saturating_add(1);
            eni.idle_until = eni.idle_until.max(eni.ready_at.saturating_add(inactive_after));
            ready_at = ready_at.max(eni.ready_at);
        }
        Ok(ready_at)
    }

    /// An invoke at `now` of a function with `config`: its ENIs stay at
    /// least `inactive_after` more.
    pub fn touch(&mut self, now: Instant, config: &VpcConfig, inactive_after: Duration) {
        let until = now.saturating_add(inactive_after);
        for subnet in config.subnets.ids() {
            if let Some(eni) = self.find(subnet, config.security_groups).and_then(|i| self.enis.get_mut(i)) {
                eni.idle_until = eni.idle_until.max(until);
            }
        }
    }

    /// Detaches a function with `config`: an ENI no function uses any more
    /// is deleted.
    ///
    /// # Errors
    /// [`VpcError::Internal`] when one of its ENIs is missing.
    pub fn detach(&mut self, config: &VpcConfig) -> Result<(), VpcError> {
        for subnet in config.subnets.ids() {
            let i = self.find(subnet, config.security_groups).ok_or(VpcError::Internal)?;
            let eni = self.enis.get_mut(i).ok_or(VpcError::Internal)?;
            eni.users = eni.users.saturating_sub(1);
        }
        Ok(())
    }

    /// The slot of (subnet, security groups) while a function holds it.
    fn find(&self, subnet: u8, security_groups: SecurityGroups) -> Option<usize> {
        self.enis.iter().position(|e| e.users > 0 && e.subnet == subnet && e.security_groups == security_groups)
    }

    fn exists(&self, i: usize, now: Instant) -> bool {
        self.enis.get(i).is_some_and(|e| e.exists(now))
    }

    fn vacant(&mut self) -> Option<usize> {
        let i = self.enis.iter().position(|e| e.users == 0)?;
        *self.enis.get_mut(i)? = Eni::default();
        Some(i)
    }
}

#[cfg(test)]
mod tests;
