//! What the hardening rules (CM5xx) share: where a bind mount's host path is
//! written, what a named volume binds, a list setting's literal items.
use crate::compose::interpolate::VarUse;
use crate::compose::model::Mount;
use crate::knowledge::host::HOST_PATH_VARIABLES;
use crate::rules::prelude::*;

/// A host path a service mounts: from a bind mount, or from a named volume
/// whose driver binds a host directory (`driver_opts: {o: bind, device: …}`).
pub struct HostMount<'a> {
    /// The host path, as written (interpolated).
    pub path: String,
    /// Mounted read-only.
    pub read_only: bool,
    /// The mount.
    pub mount: Mount<'a>,
    /// For a named volume, the `device:` that names the host path.
    pub device: Option<&'a Spanned<Value>>,
    /// For a path starting with a variable set where it is deployed
    /// (`${XDG_RUNTIME_DIR}/…`), where the path is written.
    written: Option<Span>,
}

impl HostMount<'_> {
    /// Where the finding goes: the host path within the mount entry (or its
    /// long-syntax `source:`); for a named volume, the mount entry (the
    /// rule labels the `device:`).
    pub fn span(&self, cx: &Context<'_>) -> (FileId, Span) {
        if self.device.is_some() {
            let v = self.mount.source_value;
            return (v.file, v.span);
        }
        let v = self.mount.source_value;
        if let Some(span) = self.written {
            return (v.file, span);
        }
        if let Some(field) = self.mount.source_field {
            return (field.file, field.span);
        }
        match v.value.as_str() {
            Some(text) if text.starts_with(self.path.as_str()) => {
                (v.file, within(cx, v, text, Span::new(0, self.path.len())))
            }
            _ => (v.file, v.span),
        }
    }
}

/// Every host path `svc` mounts (bind mounts, and named volumes that bind
/// one), skipping values that come from variables set at deploy time —
/// except a path that starts with one whose meaning is known (`${HOME}/…`,
/// `${XDG_RUNTIME_DIR}/…`), which is judged as written.
pub fn host_mounts<'a>(project: &'a Linked, svc: &ServiceView<'a>) -> Vec<HostMount<'a>> {
    let mut out = Vec::new();
    for mount in svc.compose.volumes_with_unknown() {
        let Some(source) = mount.source.as_deref() else {
            continue;
        };
        // the short syntax's entry, or the long syntax's `source:`
        let value = mount.source_field.unwrap_or(mount.source_value);
        let (source, written) = if value.is_unknown() {
            match known_prefix(value) {
                Some(var) if source.is_empty() || source.starts_with('/') => {
                    // the rest is as written unless another variable is in it
                    let alone = value.variables().count() == 1;
                    let written =
                        alone.then(|| Span::new(var.span.start, var.span.end + source.len()));
                    (format!("${{{}}}{source}", var.name), written)
                }
                _ => continue,
            }
        } else {
            (source.to_string(), None)
        };
        match mount.kind.as_str() {
            "bind" => out.push(HostMount {
                path: source,
                read_only: mount.read_only,
                mount,
                device: None,
                written,
            }),
            "volume" => {
                if let Some((device, read_only)) = bound_device(project, &source) {
                    if let Some(path) = device.value.as_str() {
                        out.push(HostMount {
                            path: path.to_string(),
                            read_only: mount.read_only || read_only,
                            mount,
                            device: Some(device),
                            written: None,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The variable a value starts with (after its opening quote, if any) when
/// it is the only unknown one and one of [`HOST_PATH_VARIABLES`]: Compose's
/// text is then the rest of the path.
fn known_prefix(value: &Spanned<Value>) -> Option<&VarUse> {
    let mut unknown = value.variables().filter(|u| u.is_unknown());
    let first = unknown.next()?;
    let leading =
        first.span.start.saturating_sub(value.span.start) <= 1 && unknown.next().is_none();
    (leading && HOST_PATH_VARIABLES.contains(&first.name.as_str())).then_some(first)
}

/// The `device:` of the top-level volume `name` when its local driver binds
/// a host path (`driver_opts: {type: none, o: bind, device: /path}`, or
/// `rbind`), and whether the bind is read-only (`o: bind,ro`).
fn bound_device<'a>(project: &'a Linked, name: &str) -> Option<(&'a Spanned<Value>, bool)> {
    let volume = project
        .compose
        .model
        .section("volumes")
        .find(|item| item.key.value == name)?;
    let def = volume.value.value.as_map()?;
    let local = def
        .get("driver")
        .and_then(|d| d.value.as_str())
        .is_none_or(|d| d == "local");
    if !local {
        return None;
    }
    let opts = def.get("driver_opts")?.value.as_map()?;
    let o: Vec<&str> = opts
        .get("o")
        .and_then(|o| o.value.as_str())
        .map(|o| o.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let binds = o.iter().any(|x| matches!(*x, "bind" | "rbind"))
        || opts.get("type").and_then(|t| t.value.as_str()) == Some("none");
    let device = opts.get("device")?;
    binds.then_some((device, o.contains(&"ro")))
}

/// The literal string items of the list setting `key` of `svc` (values from
/// deploy-time variables left out).
pub fn list_items<'a>(svc: &Service<'a>, key: &str) -> Vec<(&'a str, &'a Spanned<Value>)> {
    svc.get(key)
        .and_then(|v| v.value.as_list())
        .map(|items| {
            items
                .iter()
                .filter(|i| !i.is_unknown())
                .filter_map(|i| Some((i.value.as_str()?, i)))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds a label at the named volume's `device:` when the host path comes
/// from one.
pub fn with_device(d: Diagnostic, mount: &HostMount<'_>) -> Diagnostic {
    match mount.device {
        Some(device) => d.with_label(
            device.file,
            device.span,
            "the named volume binds this host path",
        ),
        None => d,
    }
}

/// Whether an item of the list setting `key` of `svc` comes from a variable
/// the deployment sets: what the list holds is then not known.
pub fn set_by_deployment(svc: &Service<'_>, key: &str) -> bool {
    svc.get(key).is_some_and(|v| {
        v.is_unknown()
            || v.value
                .as_list()
                .is_some_and(|items| items.iter().any(|i| i.is_unknown()))
    })
}
