//! Rules about any YAML file.

pub mod ym001_yaml_syntax;
pub mod ym002_duplicate_key;
pub mod ym003_undefined_alias;
