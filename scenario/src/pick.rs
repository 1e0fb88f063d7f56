//! `--pick "min cost_usd where throttle_probability < 0.001"`: choosing one
//! combination of a sweep by a rule a user can read.
//!
//! The rule is `min` or `max` of a metric, optionally `where` one or more
//! conditions joined by `and`, each `METRIC OP NUMBER` with OP one of
//! `< <= > >= == !=`. It applies to each combination's mean over its
//! replications; ties go to the first combination in sweep order.

/// The metrics of a sweep row, in column order.
pub const METRICS: [&str; 5] =
    ["requests", "cold_start_probability", "throttle_probability", "p99_response_ms", "cost_usd"];

/// Short names a rule may use.
const ALIASES: [(&str, usize); 3] = [("cost", 4), ("p99", 3), ("p99_ms", 3)];

/// A metric's position in [`METRICS`] by name or alias.
fn metric_index(word: &str) -> Result<usize, String> {
    METRICS
        .iter()
        .position(|m| *m == word)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == word).map(|(_, i)| *i))
        .ok_or_else(|| format!("unknown metric {word:?} (metrics: {}; or cost, p99)", METRICS.join(", ")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "==" | "=" => Op::Eq,
            "!=" => Op::Ne,
            _ => return None,
        })
    }

    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// As written.
    pub text: String,
    maximize: bool,
    metric: usize,
    conditions: Vec<(usize, Op, f64)>,
}

/// Words and operators of a rule: `a<0.1` is three tokens.
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() || matches!(c, '<' | '>' | '=' | '!') {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                let mut op = c.to_string();
                if chars.peek() == Some(&'=') {
                    op.push('=');
                    chars.next();
                }
                out.push(op);
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

impl Pick {
    /// Parses a rule.
    ///
    /// # Errors
    /// A message saying what the rule lacks.
    pub fn parse(text: &str) -> Result<Pick, String> {
        let bad = |why: String| format!("--pick {:?}: {why}", crate::doc::clip(text));
        if text.len() > 1_000 {
            return Err(bad("longer than 1000 bytes".into()));
        }
        let t = tokens(text);
        let word = |i: usize| t.get(i).map_or("", String::as_str);
        let maximize = match word(0) {
            "min" => false,
            "max" => true,
            w => return Err(bad(format!("starts with min or max, not {w:?}"))),
        };
        let metric = metric_index(word(1)).map_err(bad)?;
        let mut conditions = Vec::new();
        let mut at = 2;
        if t.len() > at {
            if word(at) != "where" {
                return Err(bad(format!("expected `where` after the metric, found {:?}", word(at))));
            }
            loop {
                let m = metric_index(word(at + 1)).map_err(bad)?;
                let op = Op::parse(word(at + 2))
                    .ok_or_else(|| bad(format!("expected < <= > >= == != after {}", word(at + 1))))?;
                let x: f64 = word(at + 3).parse().ok().filter(|x: &f64| x.is_finite()).ok_or_else(|| {
                    bad(format!("expected a number after {}, found {:?}", word(at + 2), word(at + 3)))
                })?;
                conditions.push((m, op, x));
                at += 4;
                match word(at) {
                    "" => break,
                    "and" => {}
                    w => return Err(bad(format!("expected `and` between conditions, found {w:?}"))),
                }
            }
        }
        Ok(Pick { text: text.trim().to_owned(), maximize, metric, conditions })
    }

    /// The metric the rule minimizes or maximizes.
    pub fn metric_name(&self) -> &'static str {
        METRICS.get(self.metric).copied().unwrap_or("")
    }

    /// Whether `means` (a combination's, in [`METRICS`] order) meets every condition.
    pub fn admits(&self, means: &[f64; 5]) -> bool {
        self.conditions.iter().all(|&(m, op, x)| means.get(m).is_some_and(|&v| op.holds(v, x)))
    }

    /// The index in `candidates` of the chosen one: among those meeting
    /// every condition, the least (or greatest) metric; the first on ties.
    pub fn choose(&self, candidates: &[[f64; 5]]) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (i, means) in candidates.iter().enumerate() {
            let Some(&v) = means.get(self.metric) else { continue };
            if !self.admits(means) || v.is_nan() {
                continue;
            }
            let better = best.is_none_or(|(_, b)| if self.maximize { v > b } else { v < b });
            if better {
                best = Some((i, v));
            }
        }
        best.map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_with_or_without_spaces() {
        let p = Pick::parse("min cost where throttle_probability<0.001 and p99 <= 250").unwrap();
        assert_eq!(p.metric_name(), "cost_usd");
        assert_eq!(p.conditions, vec![(2, Op::Lt, 0.001), (3, Op::Le, 250.0)]);
        assert!(Pick::parse("max requests").unwrap().maximize);
    }

    #[test]
    fn bad_rules_say_why() {
        let e = |s: &str| Pick::parse(s).unwrap_err();
        assert!(e("cheapest cost").contains("starts with min or max"));
        assert!(e("min money").contains("unknown metric \"money\""));
        assert!(e("min cost if x").contains("expected `where`"));
        assert!(e("min cost where cost ~ 1").contains("expected < <= > >= == !="));
        assert!(e("min cost where cost < lots").contains("expected a number"));
        assert!(e("min cost where cost < 1 or cost > 2").contains("expected `and`"));
        assert!(e("min cost where").contains("unknown metric \"\""));
    }

    #[test]
    fn choose_filters_then_minimizes_first_on_ties() {
        let rows = [
            [10.0, 0.0, 0.01, 5.0, 1.0],
            [10.0, 0.0, 0.0, 5.0, 2.0],
            [10.0, 0.0, 0.0, 5.0, 2.0],
            [10.0, 0.0, 0.0, 5.0, 3.0],
        ];
        let p = Pick::parse("min cost where throttle_probability < 0.001").unwrap();
        assert_eq!(p.choose(&rows), Some(1));
        assert_eq!(Pick::parse("max cost").unwrap().choose(&rows), Some(3));
        assert_eq!(Pick::parse("min cost where requests > 10").unwrap().choose(&rows), None);
    }
}
