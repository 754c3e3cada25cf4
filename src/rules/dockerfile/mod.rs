//! Rules about Dockerfiles.

pub mod df001_dockerfile_syntax;
pub mod df101_shell_form_cmd;
pub mod df102_healthcheck_instruction_curl_without_fail;
pub mod df103_multiple_cmd;
pub mod df401_user_root;
pub mod df402_secret_in_dockerfile;
pub mod df403_from_tag_mutable;
pub mod df404_secret_arg_persisted;
