//! Rules about compose projects and the services in them.

pub mod cm001_invalid_compose;
pub mod cm002_undefined_reference;
pub mod cm003_unset_variable;
pub mod cm004_obsolete_version;
pub mod cm005_fragment_without_base;
pub mod cm006_env_file_not_in_checkout;
pub mod cm101_healthcheck_missing;
pub mod cm102_healthcheck_curl_without_fail;
pub mod cm103_restart_policy_missing;
pub mod cm104_depends_on_unhealthy;
pub mod cm201_memory_limit_missing;
pub mod cm202_cpu_limit_missing;
pub mod cm203_pids_limit_missing;
pub mod cm204_reservation_exceeds_limit;
pub mod cm301_log_rotation_missing;
pub mod cm401_runs_as_root;
pub mod cm402_secret_in_environment;
pub mod cm403_image_tag_mutable;
pub mod cm405_secret_in_default;
pub mod cm406_secret_in_env_file;
pub mod cm407_secret_in_command;
