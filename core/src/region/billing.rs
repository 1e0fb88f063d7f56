//! Metering every finished invocation and provisioned allocation, and the
//! bills of a region and its functions (docs/model.md §5).

use super::{FunctionId, Region};
use crate::error::TimeError;
use crate::pricing::{Bill, BillError, FREE_EPHEMERAL_MB, Meter, PriceBook, ProvisionedUsage, UsageClass};
use crate::time::{Duration, Instant};

impl Region<'_> {
    /// Meters one invocation that ran for `ran` (billed from its billable
    /// start: the handler, or the init when init is billed), rounded per the
    /// region's granularity, with the function's memory, architecture and
    /// ephemeral storage, on provisioned or on-demand (spillover) prices.
    pub(super) fn meter_invocation(&mut self, fi: u32, on_pc: bool, ran: Duration) -> Result<(), TimeError> {
        let billed_ms = self.config.granularity.billed_ms(ran);
        let class = if on_pc { UsageClass::Provisioned } else { UsageClass::OnDemand };
        let f = self.fn_slot_mut(fi)?;
        let c = &f.config;
        let (arch, mb, extra) = (c.architecture, c.memory_mb, c.ephemeral_mb.saturating_sub(FREE_EPHEMERAL_MB));
        // The region's usage is the sum of its functions' (see `usage`).
        if f.meter.add_metered(arch, class, mb, extra, 1, billed_ms).is_err() {
            self.meter_overflow = true;
        }
        Ok(())
    }

    /// Meters a provisioned environment's init (allocation or recycling),
    /// which AWS bills (docs/model.md §2) at the provisioned duration price, with no
    /// request.
    pub(super) fn meter_provisioned_init(&mut self, fi: u32, ran: Duration) -> Result<(), TimeError> {
        let billed_ms = self.config.granularity.billed_ms(ran);
        let f = self.fn_slot_mut(fi)?;
        let c = &f.config;
        let (arch, mb, extra) = (c.architecture, c.memory_mb, c.ephemeral_mb.saturating_sub(FREE_EPHEMERAL_MB));
        let class = UsageClass::Provisioned;
        if f.meter.add_metered(arch, class, mb, extra, 0, billed_ms).is_err() {
            self.meter_overflow = true;
        }
        Ok(())
    }

    /// Meters `count` provisioned inits of `ran` each at once (recycling
    /// fast-forwarded): exactly what `count` calls of
    /// [`Self::meter_provisioned_init`] add, since usage is a sum (added by
    /// doubling: at most 128 additions).
    pub(super) fn meter_provisioned_inits(&mut self, fi: u32, ran: Duration, count: u128) -> Result<(), TimeError> {
        let billed_ms = self.config.granularity.billed_ms(ran);
        let f = self.fn_slot_mut(fi)?;
        let c = &f.config;
        let (arch, mb, extra) = (c.architecture, c.memory_mb, c.ephemeral_mb.saturating_sub(FREE_EPHEMERAL_MB));
        let mut one = Meter::new();
        let mut total = f.meter;
        let mut left = count;
        let mut ok = one.add_metered(arch, UsageClass::Provisioned, mb, extra, 0, billed_ms).is_ok();
        while ok && left > 0 {
            if left & 1 == 1 {
                ok = total.checked_add(&one).map(|t| total = t).is_ok();
            }
            left >>= 1;
            if ok && left > 0 {
                ok = one.checked_add(&one).map(|d| one = d).is_ok();
            }
        }
        if ok {
            f.meter = total;
        } else {
            self.meter_overflow = true;
        }
        Ok(())
    }

    fn provisioned_span(&self, fi: u32, until: Instant) -> Result<Option<ProvisionedUsage>, TimeError> {
        let f = self.fn_slot(fi)?;
        Ok(f.pc_billed_since.filter(|_| f.config.provisioned > 0).map(|since| ProvisionedUsage {
            arch: f.config.architecture,
            memory_mb: f.config.memory_mb,
            provisioned: f.config.provisioned,
            enabled: until.saturating_since(since),
        }))
    }

    /// Bills the provisioned configuration in force since it was set, up to
    /// now (rounded up to 5 minutes), and closes that span.
    pub(super) fn close_provisioned_span(&mut self, fi: u32) -> Result<(), TimeError> {
        if let Some(span) = self.provisioned_span(fi, self.now)? {
            let f = self.fn_slot_mut(fi)?;
            if f.meter.add_provisioned(&span).is_err() {
                self.meter_overflow = true;
            }
        }
        self.fn_slot_mut(fi)?.pc_billed_since = None;
        Ok(())
    }

    fn with_open_spans(&self, mut meter: Meter, only: Option<u32>) -> Result<Meter, BillError> {
        for fi in 0..self.functions.len() as u32 {
            if only.is_some_and(|o| o != fi) || !self.fn_slot(fi).is_ok_and(|f| f.in_use) {
                continue;
            }
            if let Ok(Some(span)) = self.provisioned_span(fi, self.now) {
                meter.add_provisioned(&span)?;
            }
        }
        Ok(meter)
    }

    /// The region's usage so far, provisioned configurations billed up to
    /// the region's clock (each open span rounded up to 5 minutes).
    ///
    /// # Errors
    /// [`BillError::Overflow`] when a total overflowed while metering.
    pub fn usage(&self) -> Result<Meter, BillError> {
        if self.meter_overflow {
            return Err(BillError::Overflow);
        }
        let mut total = self.retired_meter;
        for f in self.functions.iter().filter(|f| f.in_use) {
            total = total.checked_add(&f.meter)?;
        }
        self.with_open_spans(total, None)
    }

    /// One function's usage so far, or `None` for an unknown handle.
    ///
    /// # Errors
    /// [`BillError::Overflow`] when a total overflowed while metering.
    pub fn function_usage(&self, f: FunctionId) -> Option<Result<Meter, BillError>> {
        let fi = self.function_index(f)?;
        if self.meter_overflow {
            return Some(Err(BillError::Overflow));
        }
        let meter = self.fn_slot(fi).ok()?.meter;
        Some(self.with_open_spans(meter, Some(fi)))
    }

    /// The region's bill so far, treating the run as one month.
    ///
    /// # Errors
    /// [`BillError::Overflow`].
    pub fn bill(&self, prices: &PriceBook, free_tier: bool) -> Result<Bill, BillError> {
        self.usage()?.bill(prices, free_tier)
    }
}
