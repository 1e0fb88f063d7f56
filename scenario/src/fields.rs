//! Reading scenario fields with their limits checked while reading (so a
//! bad value is refused before anything is built from it), and
//! distributions read without serde's buffering of tagged enums.

use crate::doc;
use crate::scenario::{DistSpec, MAX_EMPIRICAL_VALUES, MAX_REPLICATIONS};
use serde::Deserialize;

/// A whole number in `1..=max` written as an integer or a float (`1e9`),
/// rejected while reading with the limit in the message.
fn count_in<'de, D: serde::Deserializer<'de>>(d: D, max: u64) -> Result<u64, D::Error> {
    struct Count(u64);
    impl serde::de::Visitor<'_> for Count {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a whole number in 1..={}", self.0)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            if (1..=self.0).contains(&v) {
                Ok(v)
            } else {
                Err(E::custom(format!("must be a whole number in 1..={} (got {v})", self.0)))
            }
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(E::custom(format!("must be a whole number in 1..={} (got {v})", self.0))),
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            if v.fract() == 0.0 && (1.0..=self.0 as f64).contains(&v) {
                Ok(v as u64)
            } else {
                Err(E::custom(format!("must be a whole number in 1..={} (got {})", self.0, doc::number(v))))
            }
        }
    }
    d.deserialize_any(Count(max))
}

pub(crate) fn replications<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = count_in(d, u64::from(MAX_REPLICATIONS))?;
    Ok(u32::try_from(n).unwrap_or(MAX_REPLICATIONS))
}

/// A list of at most [`MAX_EMPIRICAL_VALUES`] numbers, read straight into
/// the vector (a longer list stops being read at the limit).
fn empirical_values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    struct Values;
    impl<'de> serde::de::Visitor<'de> for Values {
        type Value = Vec<f64>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_EMPIRICAL_VALUES} numbers (ms)")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_EMPIRICAL_VALUES));
            while let Some(x) = seq.next_element::<f64>()? {
                if out.len() == MAX_EMPIRICAL_VALUES {
                    return Err(serde::de::Error::custom(format!(
                        "at most {MAX_EMPIRICAL_VALUES} values (the list is longer)"
                    )));
                }
                out.push(x);
            }
            match crate::lists::take(&out) {
                Some(long) if long.len() > MAX_EMPIRICAL_VALUES => Err(serde::de::Error::custom(format!(
                    "at most {MAX_EMPIRICAL_VALUES} values (the list has {})",
                    long.len()
                ))),
                Some(long) => Ok(long),
                None => Ok(out),
            }
        }
    }
    d.deserialize_seq(Values)
}

/// The kinds of [`DistSpec`] (its `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum DistKind {
    Fixed,
    Exponential,
    Lognormal,
    Empirical,
    Profile,
}

/// Every field a distribution may have; [`DistSpec`]'s `TryFrom` checks
/// that exactly the fields of its `type` are there.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DistFields {
    #[serde(rename = "type")]
    kind: DistKind,
    ms: Option<f64>,
    mean_ms: Option<f64>,
    median_ms: Option<f64>,
    sigma: Option<f64>,
    #[serde(default, deserialize_with = "some_empirical_values")]
    values_ms: Option<Vec<f64>>,
    io_ms: Option<f64>,
    cpu_ms: Option<f64>,
    threads: Option<u32>,
}

fn some_empirical_values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
    empirical_values(d).map(Some)
}

impl TryFrom<DistFields> for DistSpec {
    type Error = String;
    fn try_from(f: DistFields) -> Result<Self, String> {
        let kind = f.kind;
        let name = match kind {
            DistKind::Fixed => "fixed",
            DistKind::Exponential => "exponential",
            DistKind::Lognormal => "lognormal",
            DistKind::Empirical => "empirical",
            DistKind::Profile => "profile",
        };
        let present = [
            ("ms", f.ms.is_some()),
            ("mean_ms", f.mean_ms.is_some()),
            ("median_ms", f.median_ms.is_some()),
            ("sigma", f.sigma.is_some()),
            ("values_ms", f.values_ms.is_some()),
            ("io_ms", f.io_ms.is_some()),
            ("cpu_ms", f.cpu_ms.is_some()),
            ("threads", f.threads.is_some()),
        ];
        let wanted: &[&str] = match kind {
            DistKind::Fixed => &["ms"],
            DistKind::Exponential => &["mean_ms"],
            DistKind::Lognormal => &["median_ms", "sigma"],
            DistKind::Empirical => &["values_ms"],
            DistKind::Profile => &["io_ms", "cpu_ms", "threads"],
        };
        if let Some((extra, _)) = present.iter().find(|(k, there)| *there && !wanted.contains(k)) {
            return Err(format!("unknown field `{extra}` for type \"{name}\", expected {}", fields(wanted)));
        }
        let missing = |k: &str| format!("missing field `{k}` for type \"{name}\"");
        Ok(match kind {
            DistKind::Fixed => DistSpec::Fixed { ms: f.ms.ok_or_else(|| missing("ms"))? },
            DistKind::Exponential => DistSpec::Exponential { mean_ms: f.mean_ms.ok_or_else(|| missing("mean_ms"))? },
            DistKind::Lognormal => DistSpec::Lognormal {
                median_ms: f.median_ms.ok_or_else(|| missing("median_ms"))?,
                sigma: f.sigma.ok_or_else(|| missing("sigma"))?,
            },
            DistKind::Empirical => DistSpec::Empirical { values_ms: f.values_ms.ok_or_else(|| missing("values_ms"))? },
            DistKind::Profile => DistSpec::Profile {
                io_ms: f.io_ms.ok_or_else(|| missing("io_ms"))?,
                cpu_ms: f.cpu_ms.ok_or_else(|| missing("cpu_ms"))?,
                threads: f.threads.ok_or_else(|| missing("threads"))?,
            },
        })
    }
}

/// `` `a` `` or `` `a` and `b` `` or `` `a`, `b` and `c` ``.
fn fields(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
