//! Checks across fields that Compose makes after loading: a legacy field and its
//! `deploy.resources` counterpart may both be set only to the same value.

use super::model::{
    Compose, ResourceSetting, Service, CPU_LIMIT, MEMORY_LIMIT, MEMORY_RESERVATION, PIDS_LIMIT,
};
use super::value::{Spanned, Value};
use crate::diagnostic::{codes, Diagnostic};

/// Settings Compose refuses to see in both places with different values.
const PAIRS: &[ResourceSetting] = &[CPU_LIMIT, MEMORY_LIMIT, PIDS_LIMIT, MEMORY_RESERVATION];

/// Findings for every service of `compose`.
pub fn check(compose: &Compose) -> Vec<Diagnostic> {
    compose.services().flat_map(|s| check_service(&s)).collect()
}

fn check_service(svc: &Service<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for setting in PAIRS {
        let (Some(legacy), path) = (setting.legacy, setting.deploy) else {
            continue;
        };
        let (Some(a), Some(b)) = (svc.get(legacy), svc.path(path)) else {
            continue;
        };
        if same(a, b) {
            continue;
        }
        let dotted = path.join(".");
        out.push(
            Diagnostic::new(
                codes::INVALID_COMPOSE,
                a.file,
                a.span,
                format!(
                    "service `{}` sets `{legacy}` and `{dotted}` to different values",
                    svc.name()
                ),
            )
            .with_primary_label(format!("`{legacy}` set here"))
            .with_label(b.file, b.span, format!("`{dotted}` set here"))
            .with_help(format!(
                "Compose refuses distinct values: keep only `{dotted}`"
            )),
        );
    }
    out
}

fn same(a: &Spanned<Value>, b: &Spanned<Value>) -> bool {
    match (a.value.as_f64(), b.value.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a.value == b.value,
    }
}
