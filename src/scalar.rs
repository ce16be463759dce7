//! A TOML string, integer, float or boolean, read as the string it stands for: ids such as a
//! client id or a Tenant Service Group id are numbers to people, who write them without quotes.
//! The profile file's common keys (`config/`) and a provider's own (`providers/`) both read some.

use serde::{Deserialize, Deserializer};

/// A scalar, kept as the string it stands for.
#[derive(Debug, Clone)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(Scalar(s)),
            toml::Value::Integer(i) => Ok(Scalar(i.to_string())),
            toml::Value::Float(f) => Ok(Scalar(f.to_string())),
            toml::Value::Boolean(b) => Ok(Scalar(b.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a string or a number, found {}",
                other.type_str()
            ))),
        }
    }
}

/// For `#[serde(default, deserialize_with = "opt_scalar")]` on an `Option<String>` field.
pub fn opt_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(Scalar::deserialize(d)?.0))
}
