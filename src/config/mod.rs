//! The profile file and its profiles: reading the file and checking its keys ([`file`],
//! [`keys`]), the serde types of what is written ([`raw`]), resolution with the profile's
//! provider into one checked [`Profile`] ([`resolve`], [`profile`]), and which file and profile
//! the user chose ([`selection`]), and changing the file in place ([`edit`]).

pub mod edit;
mod env;
pub mod file;
pub mod keys;
mod layers;
mod profile;
mod raw;
mod resolve;
mod selection;

pub use env::ENV_PROFILE;
pub use file::{ProfileFile, default_path};
pub use layers::{Origin, Override, Written};
pub use profile::{DEFAULT_MIN_TTL, MAX_PARALLEL, Profile, Undiscovered};
pub use selection::Selection;
