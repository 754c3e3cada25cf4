//! Every key of the Compose specification with the type Compose converts it to.
//!
//! The table follows the compose-spec JSON schema as Docker Compose v2 applies it:
//! a field typed "string" rejects a plain `0755` or `yes`-less `true` (YAML resolves
//! them to numbers or booleans first), fields typed "boolean or string" cast strings
//! such as `yes`, `on`, `"true"`, and `x-` keys are allowed in every mapping with
//! fixed keys.

/// How a field's value is checked and converted.
#[derive(Debug)]
pub enum Ty {
    /// A string; plain scalars that resolve to null, numbers or booleans are rejected.
    Str,
    /// A string from a fixed set.
    StrEnum(&'static [&'static str]),
    /// A boolean, or a string Compose casts (`yes`, `on`, `"false"`…).
    Bool,
    /// A boolean only.
    BoolStrict,
    /// An integer, or a string holding one.
    Int,
    /// An integer only.
    IntStrict,
    /// A device count: an integer, or `all`.
    DeviceCount,
    /// A number, or a string holding one.
    Number,
    /// A number only.
    NumberStrict,
    /// A byte size: an integer, or a string like `512m`.
    Bytes,
    /// A byte size that must be written as a string (`deploy.resources.*.memory`).
    BytesStr,
    /// A duration string like `1m30s`.
    Duration,
    /// Any scalar: string, number, boolean or null (values of `environment`, `labels`…).
    Scalar,
    /// Anything; converted without checks.
    Any,
    /// A sequence of the inner type.
    List(&'static Ty),
    /// A mapping from any key to the inner type.
    Dict(&'static Ty),
    /// A mapping from names (`[a-zA-Z0-9._-]+`) of the named kind to the inner type:
    /// services, networks, volumes, secrets, configs, models.
    Named(&'static str, &'static Ty),
    /// A mapping with these keys (and `x-` extensions).
    Object(&'static [Field]),
    /// The inner type or null.
    Nullable(&'static Ty),
    /// Different types depending on whether the node is a scalar, sequence or mapping.
    Alt(&'static Alt),
    /// A port: a number, or a string in short syntax.
    PortShort,
    /// A volume in short syntax `[SOURCE:]TARGET[:MODE]`.
    VolumeShort,
}

/// One key of an [`Ty::Object`].
#[derive(Debug)]
pub struct Field {
    /// The key.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
}

/// Alternatives by node kind; `None` where the kind is not allowed.
#[derive(Debug)]
pub struct Alt {
    /// For a scalar node.
    pub scalar: Option<&'static Ty>,
    /// For a sequence node.
    pub seq: Option<&'static Ty>,
    /// For a mapping node.
    pub map: Option<&'static Ty>,
    /// What to call the accepted forms in a message, e.g. "a string or a mapping".
    pub expected: &'static str,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field { name, ty }
}

/// Finds `key` in `fields`.
pub fn field<'a>(fields: &'a [Field], key: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.name == key)
}

const STR: Ty = Ty::Str;
const SCALAR: Ty = Ty::Scalar;
const ANY: Ty = Ty::Any;
const INT: Ty = Ty::Int;
const LIST_OF_STRINGS: Ty = Ty::List(&STR);

/// `string_or_list`
pub const STRING_OR_LIST: Ty = Ty::Alt(&Alt {
    scalar: Some(&STR),
    seq: Some(&LIST_OF_STRINGS),
    map: None,
    expected: "a string or a list of strings",
});

const DICT_OF_SCALARS: Ty = Ty::Dict(&SCALAR);

/// `list_or_dict`: `KEY=VALUE` strings or a mapping of scalars.
pub const LIST_OR_DICT: Ty = Ty::Alt(&Alt {
    scalar: None,
    seq: Some(&LIST_OF_STRINGS),
    map: Some(&DICT_OF_SCALARS),
    expected: "a list of `KEY=VALUE` strings or a mapping",
});

/// `command`: null, a string, or a list of strings.
pub const COMMAND: Ty = Ty::Alt(&Alt {
    scalar: Some(&Ty::Nullable(&STR)),
    seq: Some(&LIST_OF_STRINGS),
    map: None,
    expected: "a string or a list of strings",
});

const EXTRA_HOSTS: Ty = Ty::Alt(&Alt {
    scalar: None,
    seq: Some(&LIST_OF_STRINGS),
    map: Some(&Ty::Dict(&STRING_OR_LIST)),
    expected: "a list of `HOST:IP` strings or a mapping",
});

const ULIMITS: Ty = Ty::Dict(&Ty::Alt(&Alt {
    scalar: Some(&INT),
    seq: None,
    map: Some(&Ty::Object(&[f("hard", Ty::Int), f("soft", Ty::Int)])),
    expected: "an integer or a mapping with `soft` and `hard`",
}));

const CONFIG_OR_SECRET_REF: Ty = Ty::List(&Ty::Alt(&Alt {
    scalar: Some(&STR),
    seq: None,
    map: Some(&Ty::Object(&[
        f("source", Ty::Str),
        f("target", Ty::Str),
        f("uid", Ty::Str),
        f("gid", Ty::Str),
        f("mode", Ty::Number),
    ])),
    expected: "a name or a mapping with `source`",
}));

const SERVICE_HOOK: Ty = Ty::Object(&[
    f("command", COMMAND),
    f("user", Ty::Str),
    f("privileged", Ty::Bool),
    f("working_dir", Ty::Str),
    f("environment", LIST_OR_DICT),
]);

const DEVICE_REQUEST: Ty = Ty::Object(&[
    f("capabilities", Ty::List(&STR)),
    f("count", Ty::DeviceCount),
    f("device_ids", Ty::List(&STR)),
    f("driver", Ty::Str),
    f("options", LIST_OR_DICT),
]);

const UPDATE_CONFIG: &[Field] = &[
    f("parallelism", Ty::Int),
    f("delay", Ty::Duration),
    f("failure_action", Ty::Str),
    f("monitor", Ty::Duration),
    f("max_failure_ratio", Ty::Number),
    f("order", Ty::StrEnum(&["start-first", "stop-first"])),
];

const DEPLOY: Ty = Ty::Nullable(&Ty::Object(&[
    f("mode", Ty::Str),
    f("endpoint_mode", Ty::Str),
    f("replicas", Ty::Int),
    f("labels", LIST_OR_DICT),
    f("rollback_config", Ty::Object(UPDATE_CONFIG)),
    f("update_config", Ty::Object(UPDATE_CONFIG)),
    f(
        "resources",
        Ty::Object(&[
            f(
                "limits",
                Ty::Object(&[
                    f("cpus", Ty::Number),
                    f("memory", Ty::BytesStr),
                    f("pids", Ty::Int),
                ]),
            ),
            f(
                "reservations",
                Ty::Object(&[
                    f("cpus", Ty::Number),
                    f("memory", Ty::BytesStr),
                    f(
                        "generic_resources",
                        Ty::List(&Ty::Object(&[f(
                            "discrete_resource_spec",
                            Ty::Object(&[f("kind", Ty::Str), f("value", Ty::Number)]),
                        )])),
                    ),
                    f("devices", Ty::List(&DEVICE_REQUEST)),
                ]),
            ),
        ]),
    ),
    f(
        "restart_policy",
        Ty::Object(&[
            f("condition", Ty::Str),
            f("delay", Ty::Duration),
            f("max_attempts", Ty::Int),
            f("window", Ty::Duration),
        ]),
    ),
    f(
        "placement",
        Ty::Object(&[
            f("constraints", Ty::List(&STR)),
            f(
                "preferences",
                Ty::List(&Ty::Object(&[f("spread", Ty::Str)])),
            ),
            f("max_replicas_per_node", Ty::Int),
        ]),
    ),
]));

const DEVELOP: Ty = Ty::Nullable(&Ty::Object(&[f(
    "watch",
    Ty::List(&Ty::Object(&[
        f("ignore", STRING_OR_LIST),
        f("include", STRING_OR_LIST),
        f("path", Ty::Str),
        f(
            "action",
            Ty::StrEnum(&["rebuild", "sync", "restart", "sync+restart", "sync+exec"]),
        ),
        f("target", Ty::Str),
        f("exec", SERVICE_HOOK),
        f("initial_sync", Ty::BoolStrict),
    ])),
)]));

const BUILD: Ty = Ty::Alt(&Alt {
    scalar: Some(&STR),
    seq: None,
    map: Some(&Ty::Object(&[
        f("context", Ty::Str),
        f("dockerfile", Ty::Str),
        f("dockerfile_inline", Ty::Str),
        f("entitlements", Ty::List(&STR)),
        f("args", LIST_OR_DICT),
        f("ssh", LIST_OR_DICT),
        f("labels", LIST_OR_DICT),
        f("cache_from", Ty::List(&STR)),
        f("cache_to", Ty::List(&STR)),
        f("no_cache", Ty::Bool),
        f("additional_contexts", LIST_OR_DICT),
        f("network", Ty::Str),
        f("provenance", Ty::Scalar),
        f("sbom", Ty::Scalar),
        f("pull", Ty::Bool),
        f("target", Ty::Str),
        f("shm_size", Ty::Bytes),
        f("extra_hosts", EXTRA_HOSTS),
        f("isolation", Ty::Str),
        f("privileged", Ty::Bool),
        f("secrets", CONFIG_OR_SECRET_REF),
        f("tags", Ty::List(&STR)),
        f("ulimits", ULIMITS),
        f("platforms", Ty::List(&STR)),
    ])),
    expected: "a string (the context) or a mapping",
});

const BLKIO_LIMIT: Ty = Ty::List(&Ty::Object(&[f("path", Ty::Str), f("rate", Ty::Bytes)]));

const HEALTHCHECK: Ty = Ty::Object(&[
    f("disable", Ty::Bool),
    f("interval", Ty::Duration),
    f("retries", Ty::Number),
    f("test", STRING_OR_LIST),
    f("timeout", Ty::Duration),
    f("start_period", Ty::Duration),
    f("start_interval", Ty::Duration),
]);

const DEPENDS_ON: Ty = Ty::Alt(&Alt {
    scalar: None,
    seq: Some(&LIST_OF_STRINGS),
    map: Some(&Ty::Dict(&Ty::Object(&[
        f("restart", Ty::Bool),
        f("required", Ty::BoolStrict),
        f(
            "condition",
            Ty::StrEnum(&[
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            ]),
        ),
    ]))),
    expected: "a list of service names or a mapping",
});

const SERVICE_NETWORKS: Ty = Ty::Alt(&Alt {
    scalar: None,
    seq: Some(&LIST_OF_STRINGS),
    map: Some(&Ty::Dict(&Ty::Nullable(&Ty::Object(&[
        f("aliases", Ty::List(&STR)),
        f("interface_name", Ty::Str),
        f("ipv4_address", Ty::Str),
        f("ipv6_address", Ty::Str),
        f("link_local_ips", Ty::List(&STR)),
        f("mac_address", Ty::Str),
        f("driver_opts", Ty::Dict(&Ty::Scalar)),
        f("priority", Ty::NumberStrict),
        f("gw_priority", Ty::NumberStrict),
    ])))),
    expected: "a list of network names or a mapping",
});

const PORT: Ty = Ty::Alt(&Alt {
    scalar: Some(&Ty::PortShort),
    seq: None,
    map: Some(&Ty::Object(&[
        f("name", Ty::Str),
        f("mode", Ty::Str),
        f("host_ip", Ty::Str),
        f("target", Ty::Int),
        f("published", Ty::Scalar),
        f("protocol", Ty::Str),
        f("app_protocol", Ty::Str),
    ])),
    expected: "a port number, a `HOST:CONTAINER` string or a mapping",
});

const VOLUME_MOUNT: Ty = Ty::Alt(&Alt {
    scalar: Some(&Ty::VolumeShort),
    seq: None,
    map: Some(&Ty::Object(&[
        f(
            "type",
            Ty::StrEnum(&["bind", "volume", "tmpfs", "cluster", "npipe", "image"]),
        ),
        f("source", Ty::Str),
        f("target", Ty::Str),
        f("read_only", Ty::Bool),
        f("consistency", Ty::Str),
        f(
            "bind",
            Ty::Object(&[
                f("propagation", Ty::Str),
                f("create_host_path", Ty::Bool),
                f(
                    "recursive",
                    Ty::StrEnum(&["enabled", "disabled", "writable", "readonly"]),
                ),
                f("selinux", Ty::StrEnum(&["z", "Z"])),
            ]),
        ),
        f(
            "volume",
            Ty::Object(&[
                f("labels", LIST_OR_DICT),
                f("nocopy", Ty::Bool),
                f("subpath", Ty::Str),
            ]),
        ),
        f(
            "tmpfs",
            Ty::Object(&[f("size", Ty::Bytes), f("mode", Ty::Number)]),
        ),
        f("image", Ty::Object(&[f("subpath", Ty::Str)])),
    ])),
    expected: "a `SOURCE:TARGET[:MODE]` string or a mapping",
});

/// The keys of a service.
pub const SERVICE: &[Field] = &[
    f("develop", DEVELOP),
    f("deploy", DEPLOY),
    f("annotations", LIST_OR_DICT),
    f("attach", Ty::Bool),
    f("build", BUILD),
    f(
        "blkio_config",
        Ty::Object(&[
            f(
                "device_read_bps",
                Ty::Alt(&Alt {
                    scalar: None,
                    seq: Some(&BLKIO_LIMIT),
                    map: None,
                    expected: "a list",
                }),
            ),
            f(
                "device_read_iops",
                Ty::Alt(&Alt {
                    scalar: None,
                    seq: Some(&BLKIO_LIMIT),
                    map: None,
                    expected: "a list",
                }),
            ),
            f(
                "device_write_bps",
                Ty::Alt(&Alt {
                    scalar: None,
                    seq: Some(&BLKIO_LIMIT),
                    map: None,
                    expected: "a list",
                }),
            ),
            f(
                "device_write_iops",
                Ty::Alt(&Alt {
                    scalar: None,
                    seq: Some(&BLKIO_LIMIT),
                    map: None,
                    expected: "a list",
                }),
            ),
            f("weight", Ty::Int),
            f(
                "weight_device",
                Ty::List(&Ty::Object(&[f("path", Ty::Str), f("weight", Ty::Int)])),
            ),
        ]),
    ),
    f("cap_add", Ty::List(&STR)),
    f("cap_drop", Ty::List(&STR)),
    f("cgroup", Ty::StrEnum(&["host", "private"])),
    f("cgroup_parent", Ty::Str),
    f("command", COMMAND),
    f("configs", CONFIG_OR_SECRET_REF),
    f("container_name", Ty::Str),
    f("cpu_count", Ty::Int),
    f("cpu_percent", Ty::Int),
    f("cpu_shares", Ty::Number),
    f("cpu_quota", Ty::Number),
    f("cpu_period", Ty::Number),
    f("cpu_rt_period", Ty::Number),
    f("cpu_rt_runtime", Ty::Number),
    f("cpus", Ty::Number),
    f("cpuset", Ty::Str),
    f(
        "credential_spec",
        Ty::Object(&[
            f("config", Ty::Str),
            f("file", Ty::Str),
            f("registry", Ty::Str),
        ]),
    ),
    f("depends_on", DEPENDS_ON),
    f("device_cgroup_rules", Ty::List(&STR)),
    f(
        "devices",
        Ty::List(&Ty::Alt(&Alt {
            scalar: Some(&STR),
            seq: None,
            map: Some(&Ty::Object(&[
                f("source", Ty::Str),
                f("target", Ty::Str),
                f("permissions", Ty::Str),
            ])),
            expected: "a string or a mapping",
        })),
    ),
    f("dns", STRING_OR_LIST),
    f("dns_opt", Ty::List(&STR)),
    f("dns_search", STRING_OR_LIST),
    f("domainname", Ty::Str),
    f("entrypoint", COMMAND),
    f(
        "env_file",
        Ty::Alt(&Alt {
            scalar: Some(&STR),
            seq: Some(&Ty::List(&Ty::Alt(&Alt {
                scalar: Some(&STR),
                seq: None,
                map: Some(&Ty::Object(&[
                    f("path", Ty::Str),
                    f("format", Ty::Str),
                    f("required", Ty::Bool),
                ])),
                expected: "a path or a mapping with `path`",
            }))),
            map: None,
            expected: "a path or a list of paths",
        }),
    ),
    f("label_file", STRING_OR_LIST),
    f("environment", LIST_OR_DICT),
    f("expose", Ty::List(&SCALAR)),
    f(
        "extends",
        Ty::Alt(&Alt {
            scalar: Some(&STR),
            seq: None,
            map: Some(&Ty::Object(&[f("service", Ty::Str), f("file", Ty::Str)])),
            expected: "a service name or a mapping with `service`",
        }),
    ),
    f(
        "provider",
        Ty::Object(&[f("type", Ty::Str), f("options", Ty::Dict(&ANY))]),
    ),
    f("external_links", Ty::List(&STR)),
    f("extra_hosts", EXTRA_HOSTS),
    f(
        "gpus",
        Ty::Alt(&Alt {
            scalar: Some(&Ty::StrEnum(&["all"])),
            seq: Some(&Ty::List(&DEVICE_REQUEST)),
            map: None,
            expected: "`all` or a list of device requests",
        }),
    ),
    f("group_add", Ty::List(&SCALAR)),
    f("healthcheck", HEALTHCHECK),
    f("hostname", Ty::Str),
    f("image", Ty::Str),
    f("init", Ty::Bool),
    f("ipc", Ty::Str),
    f("isolation", Ty::Str),
    f("labels", LIST_OR_DICT),
    f("links", Ty::List(&STR)),
    f(
        "logging",
        Ty::Object(&[f("driver", Ty::Str), f("options", Ty::Dict(&SCALAR))]),
    ),
    f("mac_address", Ty::Str),
    f("mem_limit", Ty::Bytes),
    f("mem_reservation", Ty::Bytes),
    f("mem_swappiness", Ty::Int),
    f("memswap_limit", Ty::Bytes),
    f("network_mode", Ty::Str),
    f(
        "models",
        Ty::Alt(&Alt {
            scalar: None,
            seq: Some(&LIST_OF_STRINGS),
            map: Some(&Ty::Dict(&Ty::Nullable(&Ty::Object(&[
                f("endpoint_var", Ty::Str),
                f("model_var", Ty::Str),
            ])))),
            expected: "a list of model names or a mapping",
        }),
    ),
    f("networks", SERVICE_NETWORKS),
    f("oom_kill_disable", Ty::Bool),
    f("oom_score_adj", Ty::Int),
    f("pid", Ty::Nullable(&STR)),
    f("pids_limit", Ty::Number),
    f("platform", Ty::Str),
    f("ports", Ty::List(&PORT)),
    f("post_start", Ty::List(&SERVICE_HOOK)),
    f("pre_stop", Ty::List(&SERVICE_HOOK)),
    f("privileged", Ty::Bool),
    f("profiles", Ty::List(&STR)),
    f("pull_policy", Ty::Str),
    f("pull_refresh_after", Ty::Str),
    f("read_only", Ty::Bool),
    f("restart", Ty::Str),
    f("runtime", Ty::Str),
    f("scale", Ty::Int),
    f("security_opt", Ty::List(&STR)),
    f("shm_size", Ty::Bytes),
    f("secrets", CONFIG_OR_SECRET_REF),
    f("sysctls", LIST_OR_DICT),
    f("stdin_open", Ty::Bool),
    f("stop_grace_period", Ty::Duration),
    f("stop_signal", Ty::Str),
    f("storage_opt", Ty::Dict(&ANY)),
    f("tmpfs", STRING_OR_LIST),
    f("tty", Ty::Bool),
    f("ulimits", ULIMITS),
    f("use_api_socket", Ty::BoolStrict),
    f("user", Ty::Str),
    f("uts", Ty::Str),
    f("userns_mode", Ty::Str),
    f("volumes", Ty::List(&VOLUME_MOUNT)),
    f("volumes_from", Ty::List(&STR)),
    f("working_dir", Ty::Str),
];

const EXTERNAL: Ty = Ty::Alt(&Alt {
    scalar: Some(&Ty::Bool),
    seq: None,
    map: Some(&Ty::Object(&[f("name", Ty::Str)])),
    expected: "a boolean or a mapping with `name`",
});

/// A top-level network definition.
pub const NETWORK: Ty = Ty::Nullable(&Ty::Object(&[
    f("name", Ty::Str),
    f("driver", Ty::Str),
    f("driver_opts", Ty::Dict(&Ty::Scalar)),
    f(
        "ipam",
        Ty::Object(&[
            f("driver", Ty::Str),
            f(
                "config",
                Ty::List(&Ty::Object(&[
                    f("subnet", Ty::Str),
                    f("ip_range", Ty::Str),
                    f("gateway", Ty::Str),
                    f("aux_addresses", Ty::Dict(&STR)),
                ])),
            ),
            f("options", Ty::Dict(&STR)),
        ]),
    ),
    f("external", EXTERNAL),
    f("internal", Ty::Bool),
    f("enable_ipv4", Ty::Bool),
    f("enable_ipv6", Ty::Bool),
    f("attachable", Ty::Bool),
    f("labels", LIST_OR_DICT),
]));

/// A top-level volume definition.
pub const VOLUME: Ty = Ty::Nullable(&Ty::Object(&[
    f("name", Ty::Str),
    f("driver", Ty::Str),
    f("driver_opts", Ty::Dict(&Ty::Scalar)),
    f("external", EXTERNAL),
    f("labels", LIST_OR_DICT),
]));

/// A top-level secret definition.
pub const SECRET: Ty = Ty::Object(&[
    f("name", Ty::Str),
    f("environment", Ty::Str),
    f("file", Ty::Str),
    f("external", EXTERNAL),
    f("labels", LIST_OR_DICT),
    f("driver", Ty::Str),
    f("driver_opts", Ty::Dict(&Ty::Scalar)),
    f("template_driver", Ty::Str),
]);

/// A top-level config definition.
pub const CONFIG: Ty = Ty::Object(&[
    f("name", Ty::Str),
    f("content", Ty::Str),
    f("environment", Ty::Str),
    f("file", Ty::Str),
    f("external", EXTERNAL),
    f("labels", LIST_OR_DICT),
    f("template_driver", Ty::Str),
]);

/// A top-level model definition.
pub const MODEL: Ty = Ty::Nullable(&Ty::Object(&[
    f("name", Ty::Str),
    f("model", Ty::Str),
    f("context_size", Ty::IntStrict),
    f("runtime_flags", Ty::List(&STR)),
]));

/// An `include` entry.
pub const INCLUDE: Ty = Ty::Alt(&Alt {
    scalar: Some(&STR),
    seq: None,
    map: Some(&Ty::Object(&[
        f("path", STRING_OR_LIST),
        f("env_file", STRING_OR_LIST),
        f("project_directory", Ty::Str),
    ])),
    expected: "a path or a mapping with `path`",
});

/// The top level of a compose file.
pub const TOP: &[Field] = &[
    f("version", Ty::Str),
    f("name", Ty::Str),
    f("include", Ty::List(&INCLUDE)),
    f(
        "services",
        Ty::Nullable(&Ty::Named("service", &Ty::Object(SERVICE))),
    ),
    f("models", Ty::Nullable(&Ty::Named("model", &MODEL))),
    f("networks", Ty::Nullable(&Ty::Named("network", &NETWORK))),
    f("volumes", Ty::Nullable(&Ty::Named("volume", &VOLUME))),
    f("secrets", Ty::Nullable(&Ty::Named("secret", &SECRET))),
    f("configs", Ty::Nullable(&Ty::Named("config", &CONFIG))),
];

/// Whether `name` is a valid service, network, volume, secret, config or model name.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}
