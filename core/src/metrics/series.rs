//! One series' ring of periods: the slots of the latest N periods, with what
//! leaves the ring counted.
//!
//! # Rules
//! - A series' clock is its newest opened period (its *head*). A call in a
//!   later period opens every period from the head to it: each opened
//!   period's slot is reused, and the datapoint it held (N periods older)
//!   is added to [`RolledOff`]. Periods skipped by more than N at once are
//!   never stored; for a gauge holding a non-zero value they still count in
//!   `RolledOff::periods` (they had the held value as a datapoint).
//! - A call in a period at or before the head but inside the ring records
//!   into that period (time going backwards within the ring is exact); a call
//!   in a period already rolled off adds its sample to `RolledOff::datapoint`.
//! - Gauges: every set is a sample of the period, and the value is *held*: a
//!   period opened while a gauge holds `v > 0` starts with `v` as a sample, so
//!   its Maximum is at least `v` even if nothing changed in it. A gauge held
//!   at 0 with no change gives no datapoint (Lambda publishes nothing for an
//!   idle function). A late set (before the head) counts in its own period
//!   only and does not change the held value.

use super::{Datapoint, MetricError, MetricKind};
use crate::storage::Slots;
use crate::time::{Duration, Instant};

/// One period of one series. 56 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// The period's index + 1; 0 for a slot never used.
    period: u64,
    /// The samples recorded in the period.
    actual: Option<Datapoint>,
    /// A gauge's value held into the period from the previous one (0: none).
    carried: u64,
}

impl Cell {
    /// The period's datapoint: its samples and any held gauge value.
    pub fn datapoint(&self) -> Option<Datapoint> {
        let carried = (self.carried > 0).then(|| Datapoint::of(self.carried));
        Datapoint::merged(self.actual, carried)
    }
}

/// What has left a series' ring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RolledOff {
    /// Periods with a datapoint that left the ring.
    pub periods: u64,
    /// The samples recorded in them (and late samples for periods already
    /// gone); held gauge values are not samples and are not in it.
    pub datapoint: Option<Datapoint>,
}

/// A series' state besides its ring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeriesHeader {
    /// The newest opened period.
    head: Option<u64>,
    /// The ring slot of `head` (saves a division per record in the
    /// usual case: a sample of the newest period).
    head_slot: usize,
    /// A gauge's current value.
    held: u64,
    /// Every sample ever recorded.
    recorded: Option<Datapoint>,
    /// What left the ring.
    rolled_off: RolledOff,
}

impl SeriesHeader {
    /// Every sample ever recorded in the series.
    pub const fn recorded(&self) -> Option<Datapoint> {
        self.recorded
    }
    /// What left the series' ring.
    pub const fn rolled_off(&self) -> RolledOff {
        self.rolled_off
    }
    /// A gauge's current value (0 for other kinds).
    pub const fn held(&self) -> u64 {
        self.held
    }
}

/// A series: its header and its ring slots (`cells.len() ≥ 1` periods).
pub(crate) struct Ring<'s> {
    pub(crate) header: &'s mut SeriesHeader,
    pub(crate) cells: &'s mut [Cell],
    pub(crate) gauge: bool,
}

fn slot(len: usize, period: u64) -> usize {
    // `len ≥ 1`; the remainder is below `len`, so it fits a usize.
    usize::try_from(period % (len.max(1) as u64)).unwrap_or(0)
}

impl Ring<'_> {
    fn len(&self) -> u64 {
        self.cells.len() as u64
    }

    /// Adds a slot's datapoint to what rolled off.
    fn evict(rolled: &mut RolledOff, cell: &Cell) {
        if cell.period != 0 && cell.datapoint().is_some() {
            rolled.periods = rolled.periods.saturating_add(1);
            rolled.datapoint = Datapoint::merged(rolled.datapoint, cell.actual);
        }
    }

    /// Opens every period after the head up to `period`. O(min(gap, N)).
    fn open(&mut self, period: u64) {
        let from = match self.header.head {
            Some(head) if period <= head => return,
            Some(head) => head.saturating_add(1),
            None => period,
        };
        let carried = if self.gauge { self.header.held } else { 0 };
        let first_kept = period.saturating_sub(self.len().saturating_sub(1)).max(from);
        if carried > 0 {
            let skipped = first_kept.saturating_sub(from);
            self.header.rolled_off.periods = self.header.rolled_off.periods.saturating_add(skipped);
        }
        let len = self.cells.len();
        for k in first_kept..=period {
            if let Some(cell) = self.cells.get_mut(slot(len, k)) {
                Self::evict(&mut self.header.rolled_off, cell);
                *cell = Cell { period: k.saturating_add(1), actual: None, carried };
            }
        }
        self.header.head = Some(period);
        self.header.head_slot = slot(len, period);
    }

    /// Whether `period` is older than the ring keeps, given the newest
    /// period known (`through`, at least the head).
    pub(crate) fn rolled_off(&self, period: u64, through: u64) -> bool {
        let newest = self.header.head.map_or(through, |h| h.max(through));
        period.saturating_add(self.len()) <= newest
    }

    /// Records one sample in `period`; returns whether it landed in the
    /// ring (false: it went to [`RolledOff`]).
    pub(crate) fn record(&mut self, period: u64, value: u64) -> bool {
        self.add(period, Datapoint::of(value))
    }

    /// Records the samples of `dp` in `period` (a batch tallied by the
    /// caller); returns whether they landed in the ring.
    pub(crate) fn add(&mut self, period: u64, dp: Datapoint) -> bool {
        self.header.recorded = Datapoint::merged(self.header.recorded, Some(dp));
        if self.rolled_off(period, 0) {
            self.late(dp);
            return false;
        }
        self.open(period);
        let len = self.cells.len();
        let at = if self.header.head == Some(period) { self.header.head_slot } else { slot(len, period) };
        let Some(cell) = self.cells.get_mut(at) else {
            return false;
        };
        let tag = period.saturating_add(1);
        if cell.period > tag {
            self.late(dp);
            return false;
        }
        if cell.period < tag {
            // A period inside the ring never opened (before the first call).
            Self::evict(&mut self.header.rolled_off, cell);
            *cell = Cell { period: tag, actual: None, carried: 0 };
        }
        cell.actual = Datapoint::merged(cell.actual, Some(dp));
        true
    }

    fn late(&mut self, dp: Datapoint) {
        let rolled = &mut self.header.rolled_off;
        rolled.datapoint = Datapoint::merged(rolled.datapoint, Some(dp));
    }

    /// Sets a gauge in `period`: a sample, and the held value unless late.
    pub(crate) fn set(&mut self, period: u64, value: u64) -> bool {
        self.set_period(period, value, value)
    }

    /// A gauge's period in one call: its largest value `max` (a sample)
    /// and the value it ends the period with, held afterwards unless late.
    pub(crate) fn set_period(&mut self, period: u64, max: u64, last: u64) -> bool {
        let late = self.header.head.is_some_and(|h| period < h);
        let stored = self.record(period, max);
        if !late {
            self.header.held = last;
        }
        stored
    }
}

/// Read access to a series (shared borrows).
pub(crate) struct RingView<'s> {
    pub(crate) header: &'s SeriesHeader,
    pub(crate) cells: &'s [Cell],
    pub(crate) gauge: bool,
}

impl RingView<'_> {
    /// The newest opened period, if any.
    pub(crate) fn head(&self) -> Option<u64> {
        self.header.head
    }

    /// The merged datapoints of `periods` periods after the head: a gauge's
    /// held value in each, or missing. O(1).
    pub(crate) fn held_over(&self, periods: u64) -> Option<Datapoint> {
        let held = self.header.held;
        (self.gauge && held > 0 && periods > 0).then(|| Datapoint {
            sum: held.saturating_mul(periods),
            sample_count: periods,
            minimum: held,
            maximum: held,
        })
    }

    /// The oldest period still in the ring (0 before any call).
    pub(crate) fn first_kept(&self) -> u64 {
        self.header.head.map_or(0, |h| h.saturating_add(1).saturating_sub(self.cells.len() as u64))
    }

    /// The datapoint of `period`, `through` being the newest period known
    /// (held gauge values carry up to it). The ring keeps the N periods up
    /// to the series' own head (its newest opened period).
    ///
    /// `Err(())` when the period has rolled off.
    pub(crate) fn datapoint(&self, period: u64, through: u64) -> Result<Option<Datapoint>, ()> {
        let Some(head) = self.header.head else { return Ok(None) };
        if period.saturating_add(self.cells.len() as u64) <= head {
            return Err(());
        }
        if period > head {
            let held = self.gauge && self.header.held > 0 && period <= through;
            return Ok(held.then(|| Datapoint::of(self.header.held)));
        }
        let cell = self.cells.get(slot(self.cells.len(), period));
        Ok(cell.filter(|c| c.period == period.saturating_add(1)).and_then(Cell::datapoint))
    }
}

/// One metric's series on its own: a ring of N periods in the [`Slots`]
/// the caller lends (N = their length), with the rules of the module docs.
/// [`super::MetricStore`] keeps many series in one table; this is the same
/// ring for a caller that needs one.
#[derive(Debug)]
pub struct Series<'a> {
    kind: MetricKind,
    period_us: u64,
    latest: Option<u64>,
    header: SeriesHeader,
    cells: Slots<'a, Cell>,
}

impl<'a> Series<'a> {
    /// A series of `kind` with datapoints of `period`, N = `cells.len()`.
    ///
    /// # Errors
    /// [`MetricError::InvalidPeriod`]; [`MetricError::CellStorageTooSmall`]
    /// for no cell at all.
    pub fn new(kind: MetricKind, period: Duration, cells: Slots<'a, Cell>) -> Result<Self, MetricError> {
        let period_us = period.as_micros();
        if !period_us.is_multiple_of(1_000_000) || !super::valid_period_s(period_us / 1_000_000) {
            return Err(MetricError::InvalidPeriod);
        }
        if cells.is_empty() {
            return Err(MetricError::CellStorageTooSmall);
        }
        Ok(Series { kind, period_us, latest: None, header: SeriesHeader::default(), cells })
    }
    /// The period index holding `at`.
    pub const fn period_index(&self, at: Instant) -> u64 {
        at.as_micros() / self.period_us
    }
    /// N: the periods kept.
    pub fn periods(&self) -> usize {
        self.cells.len()
    }
    /// Records `value` at `now`: a count or a sample, or a gauge's new value. O(1)
    /// (plus the slots of the periods a call moves over, at most N).
    pub fn record(&mut self, now: Instant, value: u64) {
        let period = self.period_index(now);
        self.latest = Some(self.latest.map_or(period, |l| l.max(period)));
        let gauge = self.kind == MetricKind::Gauge;
        let mut ring = Ring { header: &mut self.header, cells: &mut self.cells, gauge };
        if gauge {
            ring.set(period, value);
        } else {
            ring.record(period, value);
        }
    }
    /// The datapoint of period `period` (`None`: missing).
    ///
    /// # Errors
    /// [`MetricError::PeriodRolledOff`].
    pub fn datapoint(&self, period: u64) -> Result<Option<Datapoint>, MetricError> {
        let view = RingView { header: &self.header, cells: &self.cells, gauge: self.kind == MetricKind::Gauge };
        view.datapoint(period, self.latest.unwrap_or(0)).map_err(|()| MetricError::PeriodRolledOff)
    }
    /// Everything recorded, what rolled off, the held gauge value.
    pub const fn header(&self) -> &SeriesHeader {
        &self.header
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring<'s>(header: &'s mut SeriesHeader, cells: &'s mut [Cell], gauge: bool) -> Ring<'s> {
        Ring { header, cells, gauge }
    }

    fn view<'s>(header: &'s SeriesHeader, cells: &'s [Cell], gauge: bool) -> RingView<'s> {
        RingView { header, cells, gauge }
    }

    #[test]
    fn counts_roll_off_and_are_counted() {
        let (mut h, mut cells) = (SeriesHeader::default(), [Cell::default(); 3]);
        let mut r = ring(&mut h, &mut cells, false);
        for p in 0..5 {
            assert!(r.record(p, p + 1));
        }
        assert!(!r.record(1, 100), "period 1 left the ring (head 4, N 3)");
        assert!(r.record(9, 7), "a skip of 5 periods");
        let v = view(&h, &cells, false);
        assert_eq!(v.datapoint(9, 9), Ok(Some(Datapoint::of(7))));
        assert_eq!(v.datapoint(8, 9), Ok(None), "skipped periods are missing");
        assert_eq!(v.datapoint(6, 9), Err(()));
        assert_eq!(h.rolled_off.periods, 5);
        assert_eq!(h.rolled_off.datapoint.map(|d| d.sum), Some(1 + 2 + 3 + 4 + 5 + 100));
        assert_eq!(h.recorded.map(|d| d.sum), Some(15 + 100 + 7));
    }

    #[test]
    fn a_zero_datapoint_is_not_missing() {
        let (mut h, mut cells) = (SeriesHeader::default(), [Cell::default(); 2]);
        ring(&mut h, &mut cells, false).record(0, 0);
        assert_eq!(view(&h, &cells, false).datapoint(0, 0), Ok(Some(Datapoint::of(0))));
        assert_eq!(view(&h, &cells, false).datapoint(1, 1), Ok(None));
    }

    #[test]
    fn gauges_carry_their_held_value() {
        let (mut h, mut cells) = (SeriesHeader::default(), [Cell::default(); 4]);
        let mut r = ring(&mut h, &mut cells, true);
        r.set(0, 1);
        r.set(1, 2); // period 1 starts holding 1, then 2
        r.set(3, 0); // period 2 holds 2; period 3 starts at 2, drops to 0
        let v = view(&h, &cells, true);
        let dp = |p| v.datapoint(p, 4).unwrap();
        assert_eq!(dp(1).map(|d| (d.maximum, d.sample_count)), Some((2, 2)));
        assert_eq!(dp(2), Some(Datapoint::of(2)));
        assert_eq!(dp(3).map(|d| (d.minimum, d.maximum)), Some((0, 2)));
        assert_eq!(dp(4), None, "held at 0: no datapoint");
        assert_eq!(v.datapoint(0, 4), Ok(Some(Datapoint::of(1))), "the ring follows the series' head (3)");
    }

    #[test]
    fn a_held_gauge_carries_past_its_head_and_through_long_skips() {
        let (mut h, mut cells) = (SeriesHeader::default(), [Cell::default(); 2]);
        ring(&mut h, &mut cells, true).set(0, 5);
        assert_eq!(view(&h, &cells, true).datapoint(1, 1), Ok(Some(Datapoint::of(5))));
        assert_eq!(view(&h, &cells, true).datapoint(7, 9), Ok(Some(Datapoint::of(5))));
        assert_eq!(view(&h, &cells, true).datapoint(2, 1), Ok(None), "not beyond the newest known period");
        ring(&mut h, &mut cells, true).set(10, 6);
        // periods 1..=8 held 5 and rolled off at once; period 0 was evicted; 9 is kept.
        assert_eq!(h.rolled_off.periods, 1 + 8);
        assert_eq!(view(&h, &cells, true).datapoint(9, 10), Ok(Some(Datapoint::of(5))));
    }

    #[test]
    fn a_series_on_its_own() {
        let mut cells = [Cell::default(); 2];
        let mut s = Series::new(MetricKind::Gauge, Duration::from_secs(60), Slots::from(&mut cells)).unwrap();
        s.record(Instant::from_secs(10), 3);
        s.record(Instant::from_secs(130), 1);
        assert_eq!(s.datapoint(1), Ok(Some(Datapoint::of(3))));
        assert_eq!(s.datapoint(2).map(|d| d.map(|d| d.maximum)), Ok(Some(3)));
        assert_eq!(s.datapoint(0), Err(MetricError::PeriodRolledOff));
        assert_eq!(s.header().rolled_off().periods, 1);
        let none: &mut [Cell] = &mut [];
        assert_eq!(
            Series::new(MetricKind::Count, Duration::from_secs(60), none.into()).err(),
            Some(MetricError::CellStorageTooSmall)
        );
        let mut one = [Cell::default()];
        let bad = Series::new(MetricKind::Count, Duration::from_secs(7), Slots::from(&mut one));
        assert_eq!(bad.err(), Some(MetricError::InvalidPeriod));
    }

    #[test]
    fn late_sets_count_in_their_period_only() {
        let (mut h, mut cells) = (SeriesHeader::default(), [Cell::default(); 4]);
        let mut r = ring(&mut h, &mut cells, true);
        r.set(2, 3);
        r.set(1, 9);
        assert_eq!(h.held, 3);
        assert_eq!(view(&h, &cells, true).datapoint(1, 2), Ok(Some(Datapoint::of(9))));
    }
}
