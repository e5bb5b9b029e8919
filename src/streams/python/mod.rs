//! The Python of the `pyspark` shell: a parser for the subset the course's PySpark code is
//! written in (assignments, imports, expression statements; calls, attributes, subscripts,
//! literals of every Python kind, Python's operators and precedence), producing a syntax tree
//! ([`ast`]) that the shell's interpreter walks. Anything else is refused with one line naming
//! what is not supported.
//!
//! Owns syntax only: nothing here knows Spark or evaluates anything.
//!
//! Deliberate differences from Python (README, "Spark in the tab"): no blocks (`def`, `for`,
//! `if`, …), no lambdas, comprehensions, slices, f-strings, `*`/`**` unpacking, conditional or
//! chained comparisons; integers are 64-bit; `\N{…}` escapes and lone surrogates are refused;
//! a line starting with `.` gets a hint to add `\` or parentheses.

pub mod ast;
pub mod error;
mod expr;
mod lexer;
mod parser;
mod strings;
#[cfg(test)]
mod tests;

pub use ast::{Alias, BinOp, BoolOpKind, CmpOp, Expr, ImportNames, Stmt, StmtKind, UnaryOp};
pub use error::PySyntaxError;

/// How many brackets may be open at once: CPython's tokenizer limit (MAXLEVEL), with its error.
pub const MAX_PARENTHESES: usize = 200;

/// How deep an expression may nest, counting brackets, unary operators and each operator or
/// `.name` / call / subscript link applied: past it the parser refuses the input rather than
/// exhaust the stack (which in a debug build spends about 10 KB per level). Trees are thus at
/// most about twice this deep, so walking one recursively is safe too. Python's own limit is
/// its C stack; real PySpark nests a few levels, and a chain of 40 method calls uses 80.
pub const MAX_NESTING: usize = 100;

/// Parses a whole script (a heredoc's body, or one complete interactive input) into its
/// statements.
pub fn parse_program(source: &str) -> Result<Vec<Stmt>, PySyntaxError> {
    match lexer::tokenize(source) {
        Ok(tokens) => parser::Parser::new(tokens).program(),
        Err((lex_error, before)) => {
            // An error among the tokens before the tokenizer's error comes first in the source
            // (but 200 open brackets are CPython's tokenizer error, not our nesting limit).
            let mut parser = parser::Parser::new(before);
            match parser.program() {
                Err(PySyntaxError::TooDeep { .. }) => Err(lex_error.error),
                Err(parse_error) if !parser.at_end() => Err(parse_error),
                _ => Err(lex_error.error),
            }
        }
    }
}

/// Whether an interactive shell has a whole input: false while a bracket is open, the last line
/// ends with `\`, or a string runs on past the end (a triple-quoted one, or a one-line string
/// continued with `\`), so the shell prints `... ` and reads another line; true otherwise,
/// including when the input is a syntax error (which [`parse_program`] then reports).
pub fn input_is_complete(source: &str) -> bool {
    match lexer::tokenize(source) {
        Ok(_) => true,
        Err((e, _)) => !e.needs_more,
    }
}
