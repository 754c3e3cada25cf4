//! Rules about Dockerfiles.

pub mod df001_dockerfile_syntax;
pub mod df101_shell_form_cmd;
pub mod df102_healthcheck_instruction_curl_without_fail;
pub mod df103_multiple_cmd;
pub mod df105_cd_in_run;
pub mod df106_workdir_relative;
pub mod df107_expose_invalid;
pub mod df401_user_root;
pub mod df402_secret_in_dockerfile;
pub mod df403_from_tag_mutable;
pub mod df404_secret_arg_persisted;
pub mod df405_sudo_in_run;
pub mod df406_ssh_port_exposed;
pub mod df501_maintainer_deprecated;
