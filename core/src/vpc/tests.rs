//! Issue 12's vectors for VPC networking and function states.

use super::*;
extern crate std;
use crate::deployment::{Deployment, FunctionState, LastUpdateStatus, StateError, StateReasonCode};
use std::boxed::Box;

const DAY_S: u64 = 24 * 3_600;
const IDLE: Duration = Deployment::DEFAULT_INACTIVE_AFTER;

fn s(secs: u64) -> Instant {
    Instant::from_secs(secs)
}

fn config(subnets: &[u8], groups: &[u8], permissions: Ec2Permissions) -> VpcConfig {
    let mut sn = Subnets::default();
    for &id in subnets {
        sn = sn.and(id).unwrap();
    }
    let mut sg = SecurityGroups::default();
    for &id in groups {
        sg = sg.and(id).unwrap();
    }
    VpcConfig { subnets: sn, security_groups: sg, permissions }
}

fn managed(subnets: &[u8], groups: &[u8]) -> VpcConfig {
    config(subnets, groups, Ec2Permissions::MANAGED_POLICY)
}

#[test]
fn without_nat_no_internet_but_s3_through_its_gateway_endpoint() {
    let mut vpc: Vpc<8> = Vpc::default();
    let private = Routes { s3_gateway_endpoint: true, ..Routes::default() };
    vpc.set_routes(0, private).unwrap();
    vpc.set_routes(1, private).unwrap();
    let c = managed(&[0, 1], &[0]);
    let unreachable = |why| Reachability::Unreachable { subnet: 0, why };
    assert_eq!(vpc.reach(Some(&c), Service::Internet), unreachable(Unreachable::NoNatGateway));
    assert_eq!(vpc.reach(Some(&c), Service::S3), Reachability::Reachable(Route::GatewayEndpoint));
    assert_eq!(vpc.reach(Some(&c), Service::DynamoDb), unreachable(Unreachable::NoGatewayEndpointOrNat));
    assert_eq!(vpc.reach(Some(&c), Service::Other(3)), unreachable(Unreachable::NoInterfaceEndpointOrNat));
    vpc.add_interface_endpoint(3).unwrap();
    assert_eq!(vpc.reach(Some(&c), Service::Other(3)), Reachability::Reachable(Route::InterfaceEndpoint));
    assert_eq!(vpc.reach(Some(&c), Service::Other(64)), unreachable(Unreachable::UnknownService));
    let nowhere = VpcConfig { subnets: Subnets::default(), ..c };
    assert_eq!(vpc.reach(Some(&nowhere), Service::S3), unreachable(Unreachable::NoSubnet));
    // A function outside any customer VPC reaches everything through Lambda's.
    assert_eq!(vpc.reach(None, Service::Internet), Reachability::Reachable(Route::LambdaNetwork));
    // NAT on one subnet only: the other still fails, and is named.
    vpc.set_routes(0, Routes { nat_gateway: true, ..private }).unwrap();
    assert_eq!(
        vpc.reach(Some(&c), Service::Internet),
        Reachability::Unreachable { subnet: 1, why: Unreachable::NoNatGateway }
    );
    vpc.set_routes(1, Routes { nat_gateway: true, ..private }).unwrap();
    assert_eq!(vpc.reach(Some(&c), Service::Internet), Reachability::Reachable(Route::NatGateway));
    assert_eq!(vpc.reach(Some(&c), Service::DynamoDb), Reachability::Reachable(Route::NatGateway));
    assert_eq!(vpc.reach(Some(&c), Service::S3), Reachability::Reachable(Route::GatewayEndpoint));
}

#[test]
fn missing_permissions_fail_the_function() {
    let mut vpc: Vpc<8> = Vpc::default();
    let four = Ec2Permissions::CREATE_NETWORK_INTERFACE
        .with(Ec2Permissions::DESCRIBE_NETWORK_INTERFACES)
        .with(Ec2Permissions::DELETE_NETWORK_INTERFACE)
        .with(Ec2Permissions::ASSIGN_PRIVATE_IP_ADDRESSES);
    assert!(!four.sufficient());
    assert!(four.with(Ec2Permissions::UNASSIGN_PRIVATE_IP_ADDRESSES).sufficient());
    let mut d = Deployment::create(s(0), Some(config(&[0], &[0], four)), &mut vpc, IDLE);
    assert_eq!(
        d.state(s(1_000), &mut vpc, IDLE),
        (FunctionState::Failed, StateReasonCode::InsufficientRolePermissions)
    );
    assert_eq!(d.invoke(s(1_000), &mut vpc, IDLE), Err(StateError::Ec2AccessDenied));
    assert_eq!(vpc.eni_count(s(1_000)), 0, "no interface was made");
}

#[test]
fn an_inactive_function_fails_its_next_invoke_then_is_active_after_eni_creation() {
    let mut vpc: Vpc<8> = Vpc::default();
    let mut d = Deployment::create(s(0), Some(managed(&[0], &[0])), &mut vpc, IDLE);
    assert_eq!(d.state(s(0), &mut vpc, IDLE).0, FunctionState::Pending);
    assert_eq!(d.invoke(s(89), &mut vpc, IDLE), Err(StateError::ResourceNotReady));
    assert_eq!(d.invoke(s(90), &mut vpc, IDLE), Ok(()), "the ENI takes 90 s");
    // Idle 14 days from the last invoke.
    let idle_at = 90 + 14 * DAY_S;
    assert_eq!(d.state(s(idle_at - 1), &mut vpc, IDLE).0, FunctionState::Active);
    assert_eq!(d.state(s(idle_at), &mut vpc, IDLE), (FunctionState::Inactive, StateReasonCode::Idle));
    assert_eq!(vpc.eni_count(s(idle_at)), 0, "its unused ENI was reclaimed");
    assert_eq!(d.invoke(s(idle_at + 10), &mut vpc, IDLE), Err(StateError::FunctionInactive));
    assert_eq!(d.state(s(idle_at + 10), &mut vpc, IDLE), (FunctionState::Pending, StateReasonCode::Restoring));
    assert_eq!(d.invoke(s(idle_at + 99), &mut vpc, IDLE), Err(StateError::ResourceNotReady));
    assert_eq!(d.invoke(s(idle_at + 100), &mut vpc, IDLE), Ok(()));
    assert_eq!(vpc.eni_count(s(idle_at + 100)), 1);
}

#[test]
fn a_function_outside_a_vpc_is_active_at_once_and_never_inactive() {
    let mut vpc: Vpc<1> = Vpc::default();
    let mut d = Deployment::create(s(0), None, &mut vpc, IDLE);
    assert_eq!(d.invoke(s(0), &mut vpc, IDLE), Ok(()));
    assert_eq!(d.state(s(100 * DAY_S), &mut vpc, IDLE).0, FunctionState::Active);
}

#[test]
fn functions_on_one_subnet_and_security_group_set_share_one_eni() {
    let mut vpc: Vpc<8> = Vpc::default();
    let mut a = Deployment::create(s(0), Some(managed(&[0], &[1, 2])), &mut vpc, IDLE);
    let mut b = Deployment::create(s(100), Some(managed(&[0], &[1, 2])), &mut vpc, IDLE);
    assert_eq!(vpc.eni_count(s(100)), 1);
    // b found the ENI ready: Active at once.
    assert_eq!(b.invoke(s(100), &mut vpc, IDLE), Ok(()));
    assert_eq!(a.invoke(s(100), &mut vpc, IDLE), Ok(()));
    // Another security-group set, or another subnet, is another ENI.
    let _c = Deployment::create(s(100), Some(managed(&[0], &[1])), &mut vpc, IDLE);
    let _d = Deployment::create(s(100), Some(managed(&[0, 1], &[1, 2])), &mut vpc, IDLE);
    assert_eq!(vpc.eni_count(s(100)), 3, "(0, {{1, 2}}) shared; (0, {{1}}) and (1, {{1, 2}}) new");
    // a idles out: the shared ENI stays for b.
    let later = 100 + 14 * DAY_S;
    b.invoke(s(later - 1), &mut vpc, IDLE).unwrap();
    assert_eq!(a.state(s(later), &mut vpc, IDLE).0, FunctionState::Inactive);
    assert_eq!(vpc.eni_count(s(later)), 3);
    // Its next invoke fails, but the ENI exists: Active again at once.
    assert_eq!(a.invoke(s(later), &mut vpc, IDLE), Err(StateError::FunctionInactive));
    assert_eq!(a.invoke(s(later), &mut vpc, IDLE), Ok(()));
}

/// An ENI whose functions all idled out is gone at that time, whether or
/// not anyone asked them since; the next function to need it waits for a
/// new one.
#[test]
fn an_eni_is_reclaimed_when_all_its_functions_are_idle_whoever_asks() {
    let mut vpc: Vpc<8> = Vpc::default();
    let c = managed(&[0], &[0]);
    let mut a = Deployment::create(s(0), Some(c), &mut vpc, IDLE);
    let _b = Deployment::create(s(0), Some(c), &mut vpc, IDLE);
    a.invoke(s(1_000), &mut vpc, IDLE).unwrap();
    let gone = 1_000 + 14 * DAY_S;
    assert_eq!(vpc.eni_count(s(gone - 1)), 1);
    assert_eq!(vpc.eni_count(s(gone)), 0, "b never invoked, a idle: reclaimed");
    // A third function on the pair needs a new ENI: Pending 90 s.
    let mut c3 = Deployment::create(s(gone), Some(c), &mut vpc, IDLE);
    assert_eq!(c3.invoke(s(gone + 89), &mut vpc, IDLE), Err(StateError::ResourceNotReady));
    assert_eq!(c3.invoke(s(gone + 90), &mut vpc, IDLE), Ok(()));
    assert_eq!(vpc.eni_count(s(gone + 90)), 1);
    // a's lazy release later does not take the slot c3 uses.
    assert_eq!(a.invoke(s(gone + 100), &mut vpc, IDLE), Err(StateError::FunctionInactive));
    assert_eq!(a.invoke(s(gone + 100), &mut vpc, IDLE), Ok(()), "c3's ENI exists: Active at once");
    assert_eq!(vpc.eni_count(s(gone + 100)), 1);
}

#[test]
fn the_eni_quota_is_an_error_past_500() {
    let mut vpc: Box<Vpc<512>> = Box::default();
    // 31 security-group sets × 16 subnets = 496 ENIs, then 4 more: 500.
    let all: [u8; 16] = core::array::from_fn(|i| i as u8);
    for set in 1u8..=31 {
        let groups: std::vec::Vec<u8> = (0..5).filter(|b| set & (1 << b) != 0).collect();
        let d = Deployment::create(s(0), Some(managed(&all, &groups)), &mut *vpc, IDLE);
        assert_ne!(d.vpc_config(), None);
    }
    let d = Deployment::create(s(0), Some(managed(&[0, 1, 2, 3], &[5])), &mut *vpc, IDLE);
    assert_ne!(d.vpc_config(), None);
    assert_eq!(vpc.eni_count(s(0)), 500);
    assert_eq!(vpc.attach(s(0), &managed(&[0], &[6]), IDLE), Err(VpcError::EniLimitExceeded));
    let mut over = Deployment::create(s(0), Some(managed(&[0], &[6])), &mut *vpc, IDLE);
    assert_eq!(over.state(s(0), &mut *vpc, IDLE), (FunctionState::Failed, StateReasonCode::EniLimitExceeded));
    assert_eq!(over.invoke(s(0), &mut *vpc, IDLE), Err(StateError::EniLimitReached));
    // Sharing an existing one still works at the quota.
    let mut shared = Deployment::create(s(0), Some(managed(&[0], &[5])), &mut *vpc, IDLE);
    assert_eq!(shared.invoke(s(90), &mut *vpc, IDLE), Ok(()));
    // A smaller table is its own error.
    let mut small: Vpc<1> = Vpc::default();
    assert_eq!(small.attach(s(0), &managed(&[0, 1], &[0]), IDLE), Err(VpcError::CapacityExceeded));
    assert_eq!(small.attach(s(0), &managed(&[], &[0]), IDLE), Err(VpcError::NoSubnet));
}

#[test]
fn an_update_runs_the_old_configuration_until_its_interfaces_are_made() {
    let mut vpc: Vpc<8> = Vpc::default();
    let old = managed(&[0], &[0]);
    let new = managed(&[1], &[0]);
    let mut d = Deployment::create(s(0), Some(old), &mut vpc, IDLE);
    d.invoke(s(90), &mut vpc, IDLE).unwrap();
    assert_eq!(d.update_vpc_config(s(100), Some(new), &mut vpc, IDLE), Ok(LastUpdateStatus::InProgress));
    assert_eq!(d.invoke(s(150), &mut vpc, IDLE), Ok(()), "invokes keep working during the update");
    assert_eq!(d.vpc_config(), Some(&old));
    assert_eq!(vpc.eni_count(s(150)), 2);
    assert_eq!(d.last_update_status(s(190), &mut vpc, IDLE), LastUpdateStatus::Successful);
    assert_eq!(d.vpc_config(), Some(&new));
    assert_eq!(vpc.eni_count(s(190)), 1, "the old ENI was released");
    // A second update while one is in progress is refused.
    d.update_vpc_config(s(200), Some(old), &mut vpc, IDLE).unwrap();
    assert_eq!(d.update_vpc_config(s(201), Some(new), &mut vpc, IDLE), Err(StateError::ResourceNotReady));
    // Missing permissions: the update fails, the old configuration stays.
    let mut e = Deployment::create(s(0), Some(old), &mut vpc, IDLE);
    e.invoke(s(300), &mut vpc, IDLE).unwrap();
    let bad = config(&[2], &[0], Ec2Permissions::NONE);
    assert_eq!(e.update_vpc_config(s(300), Some(bad), &mut vpc, IDLE), Ok(LastUpdateStatus::Failed));
    assert_eq!(e.vpc_config(), Some(&old));
    assert_eq!(e.invoke(s(301), &mut vpc, IDLE), Ok(()));
}
