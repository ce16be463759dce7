//! `call --jq EXPR`: the answer, or each item of a `--paginate` walk, through a jq filter, in
//! process, with jaq (the jq language and its standard library, https://github.com/01mf02/jaq).
//!
//! Strings come out raw, as `jq -r` writes them, and other values as compact JSON, one a line, as
//! `gh api --jq` writes them (indented under `--pretty`). The filter is parsed and compiled before
//! anything is sent, so a typo costs no request; and only when `--jq` is given, so a call without
//! it pays nothing for it.

use std::io::{self, Write};

use anyhow::{Result, anyhow};
use jaq_core::data::JustLut;
use jaq_core::load::lex::Expect as LexExpect;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars};
use jaq_json::Val;
use jaq_json::write::{Pp, Styles};

use crate::error::Failure;

type Filter = jaq_core::Filter<JustLut<Val>>;

/// jq's `@csv` and `@tsv`, the formats scripts use most with `-r`, written in jq. jaq keeps them in
/// a crate of file formats (YAML, XML, CBOR, TOML) that `--jq` has no use for.
const ROWS: &str = r#"
def _row_cell(quote):
  if type == "string" then quote
  elif type == "number" or type == "boolean" then tojson
  elif . == null then ""
  else error("\(type) (\(tojson)) cannot be a cell of a row") end;
def _row(sep; quote):
  if type == "array" then map(_row_cell(quote)) | join(sep)
  else error("\(type) (\(tojson)) is not an array, which a row must be") end;
def @csv: _row(","; "\"" + (split("\"") | join("\"\"")) + "\"");
def @tsv: _row("\t"; split("\\") | join("\\\\") | split("\t") | join("\\t")
  | split("\n") | join("\\n") | split("\r") | join("\\r"));
"#;

/// A compiled `--jq` expression and how its results are written.
pub struct Jq {
    filter: Filter,
    /// Compact JSON, or indented (and coloured) under `--pretty`.
    printer: Pp,
}

impl Jq {
    /// Parses and compiles `expr`; a mistake is a usage error that says where it is.
    pub fn compile(expr: &str) -> Result<Jq> {
        let ours = jaq_core::load::parse(ROWS, |p| p.defs()).expect("ROWS parses");
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .chain(ours);
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let program = File {
            code: expr,
            path: (),
        };
        let modules = loader.load(&arena, program).map_err(|errs| {
            let (what, at) = match errs.into_iter().next().map(|(_, err)| err) {
                Some(jaq_core::load::Error::Lex(errs)) => match errs.first() {
                    // A character that begins no token of jq's: say which.
                    Some((LexExpect::Token, found)) => match found.chars().next() {
                        Some(c) => (format!("unexpected `{c}`"), Some(*found)),
                        None => ("unexpected end".to_string(), Some(*found)),
                    },
                    Some((expected, found)) => {
                        (format!("expected {}", expected.as_str()), Some(*found))
                    }
                    None => ("cannot read it".to_string(), None),
                },
                Some(jaq_core::load::Error::Parse(errs)) => match errs.first() {
                    Some((expected, found)) => {
                        let found = if found.is_empty() {
                            "the end".to_string()
                        } else {
                            format!("`{found}`")
                        };
                        (
                            format!("expected {}, found {found}", expected.as_str()),
                            errs.first().map(|(_, found)| *found),
                        )
                    }
                    None => ("cannot parse it".to_string(), None),
                },
                Some(jaq_core::load::Error::Io(errs)) => (
                    errs.first()
                        .map_or("cannot load a module".into(), |(_, why)| why.clone()),
                    errs.first().map(|(name, _)| *name),
                ),
                None => ("cannot parse it".to_string(), None),
            };
            usage(expr, &what, at)
        })?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errs| {
                let first = errs.into_iter().flat_map(|(_, errs)| errs).next();
                match first {
                    Some((name, undefined)) => usage(
                        expr,
                        &format!("undefined {} `{name}`", undefined.as_str()),
                        Some(name),
                    ),
                    None => usage(expr, "cannot compile it", None),
                }
            })?;
        Ok(Jq {
            filter,
            printer: Pp::default(),
        })
    }

    /// Results indented by two spaces, coloured when `colour` is set (`--pretty`, a terminal).
    pub fn indented(mut self, colour: bool) -> Jq {
        self.printer.indent = Some("  ".into());
        self.printer.sep_space = true;
        if colour {
            self.printer.styles = Styles::ansi();
        }
        self
    }

    /// Runs the filter on one JSON text and writes its results; `Ok(Some(code))` when it halted
    /// (`halt`, `halt_error`): nothing more is to be written. `what` names the text in messages
    /// (`the answer to GET https://...`, or an item of one).
    pub fn run(&self, json: &[u8], out: &mut dyn Write, what: &str) -> Result<Option<i32>> {
        let input = jaq_json::read::parse_single(json)
            .map_err(|err| anyhow!("--jq reads JSON, and {what} is not JSON ({err})"))?;
        let ctx = Ctx::<JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        for result in self.filter.id.run((ctx, input)) {
            let value = match result {
                Ok(value) => value,
                Err(exn) => match exn.get_err() {
                    Ok(err) => {
                        // `error("text")` says its text, as jq says it; other values as JSON.
                        // Either may quote the server's data: one line, no control characters.
                        let said = match err.into_val() {
                            Val::TStr(text) => String::from_utf8_lossy(&text).into_owned(),
                            other => other.to_string(),
                        };
                        let said = crate::error::one_line(&said, 300);
                        return Err(anyhow!("--jq: {said}, on {what}"));
                    }
                    Err(exn) => match exn.get_halt() {
                        Ok(code) => return Ok(Some(code)),
                        // Only jaq's own control flow is left, which never reaches here.
                        Err(_) => return Err(anyhow!("--jq: the filter broke out of no label")),
                    },
                },
            };
            self.write(out, &value)?;
        }
        Ok(None)
    }

    fn write(&self, out: &mut dyn Write, value: &Val) -> io::Result<()> {
        match value {
            // Raw, as `jq -r` writes a string: the bytes as they are.
            Val::TStr(text) | Val::BStr(text) => out.write_all(text)?,
            _ => jaq_json::write::write(out, &self.printer, 0, value)?,
        }
        out.write_all(b"\n")
    }
}

/// A usage error naming where in `expr` the trouble is: its line (when there is more than one)
/// and column, the line itself and a caret under the spot.
fn usage(expr: &str, what: &str, at: Option<&str>) -> anyhow::Error {
    let offset = at.and_then(|part| {
        let start = (part.as_ptr() as usize).checked_sub(expr.as_ptr() as usize)?;
        (start <= expr.len()).then_some(start)
    });
    let Some(offset) = offset else {
        return Failure::Usage(format!("--jq: {what}")).into();
    };
    let line_start = expr[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_no = expr[..line_start].matches('\n').count() + 1;
    let line = expr[line_start..].lines().next().unwrap_or("");
    let column = expr[line_start..offset].chars().count() + 1;
    let place = if expr.contains('\n') {
        format!("line {line_no}, column {column}")
    } else {
        format!("column {column}")
    };
    let caret = " ".repeat(column - 1);
    Failure::Usage(format!("--jq: {what} at {place}\n  {line}\n  {caret}^")).into()
}

/// Where jaq's `debug` and `stderr` write: stderr, as jq writes them. jaq says them through the
/// `log` crate; this logger hears jaq alone, so no other crate's log reaches stderr.
struct JaqLog;

impl log::Log for JaqLog {
    fn enabled(&self, meta: &log::Metadata) -> bool {
        meta.target().starts_with("jaq")
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let mut err = io::stderr().lock();
        let _ = match record.level() {
            log::Level::Debug => writeln!(err, "[\"DEBUG:\",{}]", record.args()),
            _ => write!(err, "{}", record.args()),
        };
    }

    fn flush(&self) {}
}

/// Lets the filter's `debug` and `stderr` reach stderr; called when `--jq` is given.
pub fn hear_debug() {
    static LOGGER: JaqLog = JaqLog;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expr: &str, input: &str) -> String {
        let mut out = Vec::new();
        Jq::compile(expr)
            .unwrap()
            .run(input.as_bytes(), &mut out, "the test")
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_and_tsv_rows_are_written_as_jq_writes_them() {
        let row = r#"[1, "a\"b", null, true, "x\ty\\z\n"]"#;
        assert_eq!(run("@csv", row), "1,\"a\"\"b\",,true,\"x\ty\\z\n\"\n");
        assert_eq!(run("@tsv", row), "1\ta\"b\t\ttrue\tx\\ty\\\\z\\n\n");
        let mut out = Vec::new();
        let err = Jq::compile("@csv")
            .unwrap()
            .run(b"{}", &mut out, "the test")
            .unwrap_err();
        assert!(err.to_string().contains("not an array"), "{err}");
    }

    #[test]
    fn strings_are_raw_other_values_compact_or_indented() {
        assert_eq!(
            run(".[]", r#"["é\n", 1e1000, {"a": [1, 2]}]"#)
                .lines()
                .next(),
            Some("é")
        );
        assert_eq!(
            run(".[2]", r#"["é\n", 1e1000, {"a": [1, 2]}]"#),
            "{\"a\":[1,2]}\n"
        );
        let mut out = Vec::new();
        Jq::compile(".")
            .unwrap()
            .indented(false)
            .run(br#"{"a":[1]}"#, &mut out, "the test")
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": [\n    1\n  ]\n}\n"
        );
    }

    #[test]
    fn halt_stops_with_its_code() {
        let mut out = Vec::new();
        let halted = Jq::compile("1, halt_error(3), 2")
            .unwrap()
            .run(b"null", &mut out, "the test")
            .unwrap();
        assert_eq!(halted, Some(3));
        assert_eq!(out, b"1\n");
    }
}
