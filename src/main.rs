//! The `oauthctl` binary: everything lives in the library (src/lib.rs).

fn main() -> std::process::ExitCode {
    oauthctl::main()
}
