//! The errors of the PySpark shell's Python parser: each prints as the one line Python's shell
//! would print (`SyntaxError: …`), or, for Python that Brooklet does not run, one line naming
//! what is not supported and what is.
//!
//! CPython's texts (`'(' was never closed`, `unterminated string literal (detected at line 1)`,
//! `invalid syntax. Perhaps you forgot a comma?`) are copied from CPython's tokenizer and
//! parser (Parser/tokenizer.c, Parser/pegen_errors.c, Grammar/python.gram, 3.12). Owns no
//! parsing logic.

/// The tail of every "not supported" line: what the shell does run, and where it is written.
const SUPPORTED: &str = "it runs assignments, imports and expression statements \
                         (README, \"Spark in the tab\")";

/// A syntax error in the Python given to the `pyspark` shell, with its 1-based line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PySyntaxError {
    /// CPython's catch-all.
    #[error("SyntaxError: invalid syntax")]
    InvalidSyntax {
        /// The 1-based line of the error.
        line: usize,
    },
    /// Two expressions side by side inside brackets: `f(a b)`.
    #[error("SyntaxError: invalid syntax. Perhaps you forgot a comma?")]
    ForgotComma {
        /// The 1-based line of the error.
        line: usize,
    },
    /// A `'…'` or `"…"` string that reaches the end of its line.
    #[error("SyntaxError: unterminated string literal (detected at line {line})")]
    UnterminatedString {
        /// The 1-based line of the error.
        line: usize,
    },
    /// A `'''…'''` or `"""…"""` string that reaches the end of the input; `line` is where it
    /// opened, `detected` the last line.
    #[error(
        "SyntaxError: unterminated triple-quoted string literal (detected at line {detected})"
    )]
    UnterminatedTripleQuoted {
        /// The 1-based line of the error.
        line: usize,
        /// The last line of the input, where the end was found.
        detected: usize,
    },
    /// An opening bracket still open at the end of the input.
    #[error("SyntaxError: '{open}' was never closed")]
    NeverClosed {
        /// The opening bracket.
        open: char,
        /// The 1-based line of the error.
        line: usize,
    },
    /// A closing bracket with nothing open.
    #[error("SyntaxError: unmatched '{close}'")]
    Unmatched {
        /// The closing bracket.
        close: char,
        /// The 1-based line of the error.
        line: usize,
    },
    /// A closing bracket of the wrong kind; `open_line` is where the open one is.
    #[error("SyntaxError: closing parenthesis '{close}' does not match opening parenthesis '{open}'{}",
        on_line(*line, *open_line))]
    Mismatched {
        /// The closing bracket.
        close: char,
        /// The opening bracket.
        open: char,
        /// The 1-based line of the error.
        line: usize,
        /// The line of the opening bracket.
        open_line: usize,
    },
    /// More than [`MAX_PARENTHESES`](super::MAX_PARENTHESES) brackets open at once (CPython's limit).
    #[error("SyntaxError: too many nested parentheses")]
    TooManyNestedParentheses {
        /// The 1-based line of the error.
        line: usize,
    },
    /// Operators nested deeper than the parser's limit (`- - - … x`, `a ** b ** … `); Python's
    /// own limit is its C stack, ours is stated.
    #[error("SyntaxError: expression nested too deeply (more than {limit} levels): split it into several assignments")]
    TooDeep {
        /// The nesting limit.
        limit: usize,
        /// The 1-based line of the error.
        line: usize,
    },
    /// A `\` followed by something other than the end of the line.
    #[error("SyntaxError: unexpected character after line continuation character")]
    AfterContinuation {
        /// The 1-based line of the error.
        line: usize,
    },
    /// A `\` at the very end of the input.
    #[error("SyntaxError: unexpected EOF while parsing")]
    EofAfterContinuation {
        /// The 1-based line of the error.
        line: usize,
    },
    /// A character Python does not allow outside strings and comments (`€`, `$`, `?`).
    #[error("SyntaxError: invalid character '{ch}' (U+{:04X})", *ch as u32)]
    InvalidCharacter {
        /// The character.
        ch: char,
        /// The 1-based line of the error.
        line: usize,
    },
    /// An invisible character outside strings and comments (a no-break space, a control
    /// character).
    #[error("SyntaxError: invalid non-printable character U+{:04X}", *ch as u32)]
    NonPrintable {
        /// The character.
        ch: char,
        /// The 1-based line of the error.
        line: usize,
    },
    /// A NUL byte in the source.
    #[error("SyntaxError: source code cannot contain null bytes")]
    NullByte {
        /// The 1-based line of the error.
        line: usize,
    },
    /// A number run into letters (`1abc`), a dangling `_` or exponent.
    #[error("SyntaxError: invalid {kind} literal")]
    InvalidNumber {
        /// `decimal`, `hexadecimal`, `octal` or `binary`.
        kind: &'static str,
        /// The 1-based line of the error.
        line: usize,
    },
    /// `0123`.
    #[error("SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")]
    LeadingZeros {
        /// The 1-based line of the error.
        line: usize,
    },
    /// An integer beyond 64 bits: Python's are unbounded, Brooklet's shell holds Spark's `long`.
    #[error("SyntaxError: integer {text} is too large for Brooklet's pyspark shell: it holds 64-bit integers (Spark's long)")]
    IntegerTooLarge {
        /// The literal as written.
        text: String,
        /// The 1-based line of the error.
        line: usize,
    },
    /// A bad escape in a string (`"\x4"`), as CPython's decoder words it.
    #[error("SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position {start}-{end}: {reason}")]
    BadEscape {
        /// Byte offset of the escape in the literal's body.
        start: usize,
        /// Byte offset of the last character read.
        end: usize,
        /// What is wrong with the escape.
        reason: &'static str,
        /// The 1-based line of the error.
        line: usize,
    },
    /// A bad escape in a bytes literal (`b"\x4"`).
    #[error("SyntaxError: (value error) invalid \\x escape at position {position}")]
    BadBytesEscape {
        /// Byte offset of the escape in the literal's body.
        position: usize,
        /// The 1-based line of the error.
        line: usize,
    },
    /// A character beyond ASCII in a bytes literal.
    #[error("SyntaxError: bytes can only contain ASCII literal characters")]
    NonAsciiBytes {
        /// The 1-based line of the error.
        line: usize,
    },
    /// `"a" b"b"`.
    #[error("SyntaxError: cannot mix bytes and nonbytes literals")]
    MixedBytes {
        /// The 1-based line of the error.
        line: usize,
    },
    /// A line indented where no block is open.
    #[error("IndentationError: unexpected indent")]
    UnexpectedIndent {
        /// The 1-based line of the error.
        line: usize,
    },
    /// A line starting with `.` that continues nothing: the REPL habit of chaining on the next
    /// line needs a `\` or parentheses.
    #[error("SyntaxError: invalid syntax: a line cannot start with '.'; end the line before it with '\\' or put the whole chain in parentheses")]
    DanglingDot {
        /// The 1-based line of the error.
        line: usize,
    },
    /// `f(a=1, b)`.
    #[error("SyntaxError: positional argument follows keyword argument")]
    PositionalAfterKeyword {
        /// The 1-based line of the error.
        line: usize,
    },
    /// `f(a=1, a=2)`.
    #[error("SyntaxError: keyword argument repeated: {name}")]
    KeywordRepeated {
        /// The name.
        name: String,
        /// The 1-based line of the error.
        line: usize,
    },
    /// `print x`.
    #[error("SyntaxError: Missing parentheses in call to '{name}'. Did you mean {name}(...)?")]
    MissingParentheses {
        /// The name.
        name: String,
        /// The 1-based line of the error.
        line: usize,
    },
    /// `f() = 1`, `1 = x`: CPython's wording.
    #[error("SyntaxError: cannot assign to {what} here. Maybe you meant '==' instead of '='?")]
    CannotAssign {
        /// What is not supported, as a plural noun phrase.
        what: &'static str,
        /// The 1-based line of the error.
        line: usize,
    },
    /// `a.b = 1`, `a[0] = 1`, `a, b = …`: Python, but not what the shell runs.
    #[error("SyntaxError: assigning to {what} is not supported in Brooklet's pyspark shell: assign to a plain name (df = …)")]
    UnsupportedTarget {
        /// What is not supported, as a plural noun phrase.
        what: &'static str,
        /// The 1-based line of the error.
        line: usize,
    },
    /// `f"…"`.
    #[error("SyntaxError: f-strings are not supported in Brooklet's pyspark shell: use a plain string (\"…\"), joined with + where a value goes in")]
    FString {
        /// The 1-based line of the error.
        line: usize,
    },
    /// `a < b < c`: PySpark's columns cannot chain either (Python turns the chain into `and`,
    /// which asks a column for its truth value).
    #[error("SyntaxError: chained comparisons are not supported in Brooklet's pyspark shell: write (a < b) & (b < c)")]
    ChainedComparison {
        /// The 1-based line of the error.
        line: usize,
    },
    /// Any other Python the shell does not run: `what` names it (`'for' loops`).
    #[error("SyntaxError: {what} are not supported in Brooklet's pyspark shell: {SUPPORTED}")]
    Unsupported {
        /// What is not supported, as a plural noun phrase.
        what: &'static str,
        /// The 1-based line of the error.
        line: usize,
    },
}

/// CPython adds where the opening bracket is when it is on another line.
fn on_line(line: usize, open_line: usize) -> String {
    if line == open_line {
        String::new()
    } else {
        format!(" on line {open_line}")
    }
}

impl PySyntaxError {
    /// The 1-based line the error is on (where Python's caret would point).
    pub fn line(&self) -> usize {
        use PySyntaxError::*;
        match self {
            InvalidSyntax { line }
            | ForgotComma { line }
            | UnterminatedString { line }
            | UnterminatedTripleQuoted { line, .. }
            | NeverClosed { line, .. }
            | Unmatched { line, .. }
            | Mismatched { line, .. }
            | TooManyNestedParentheses { line }
            | TooDeep { line, .. }
            | AfterContinuation { line }
            | EofAfterContinuation { line }
            | InvalidCharacter { line, .. }
            | NonPrintable { line, .. }
            | NullByte { line }
            | InvalidNumber { line, .. }
            | LeadingZeros { line }
            | IntegerTooLarge { line, .. }
            | BadEscape { line, .. }
            | BadBytesEscape { line, .. }
            | NonAsciiBytes { line }
            | MixedBytes { line }
            | UnexpectedIndent { line }
            | DanglingDot { line }
            | PositionalAfterKeyword { line }
            | KeywordRepeated { line, .. }
            | MissingParentheses { line, .. }
            | CannotAssign { line, .. }
            | UnsupportedTarget { line, .. }
            | FString { line }
            | ChainedComparison { line }
            | Unsupported { line, .. } => *line,
        }
    }
}
