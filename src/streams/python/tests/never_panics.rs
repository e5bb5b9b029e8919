//! No input panics, loops or overflows the stack: deterministic random inputs, from random
//! characters and from mutated course snippets, all end in a tree or a syntax error.

use super::super::{input_is_complete, parse_program};

/// Pieces the generator strings together: every token kind, brackets, quotes, continuations.
const PIECES: &[&str] = &[
    "df", ".", "select", "(", ")", "[", "]", "{", "}", ",", ":", ";", "=", "==", "+", "-", "*",
    "**", "/", "//", "%", "&", "|", "~", "^", "<", ">=", "not", "and", "or", "in", "is", "if",
    "for", "lambda", "import", "from", "as", "pass", "True", "None", "1", "0x1f", "1_0", "1.5e3",
    "09", "1j", "'", "\"", "'''", "\"\"\"", "r'", "b'", "f'", "\\", "\\x", "\\u12", "\\N{", "\n",
    "\r\n", "  ", "\t", "#", "é", "€", "$", "?", "\0", "@", ":=", "...", "'a'", "\"b\"",
];

const SNIPPET: &str = "df = spark.readStream.format(\"kafka\") \\\n  .option(\"subscribe\", 't1').option(\"maxOffsetsPerTrigger\", 50).load()\nq = df.filter((col('a') == 1) & ~df['b'].isNull()).writeStream.start(); q.stop()\nx = spark.sql(\"\"\"select 1\"\"\")\n";

fn check(source: &str) {
    let _ = parse_program(source);
    let _ = input_is_complete(source);
}

#[test]
fn random_token_soup_never_panics() {
    let mut rng = fastrand::Rng::with_seed(14);
    for _ in 0..20_000 {
        let len = rng.usize(0..40);
        let source: String = (0..len)
            .map(|_| PIECES[rng.usize(0..PIECES.len())])
            .collect::<Vec<_>>()
            .join(if rng.bool() { " " } else { "" });
        check(&source);
    }
}

#[test]
fn random_characters_never_panic() {
    let mut rng = fastrand::Rng::with_seed(7);
    let alphabet: Vec<char> = "ab_01x.()[]{}'\"\\#\n\t =+-*/%&|^~<>!:;,@$?éuUrRbBfFjJeE\0\r"
        .chars()
        .collect();
    for _ in 0..20_000 {
        let len = rng.usize(0..30);
        let source: String = (0..len)
            .map(|_| alphabet[rng.usize(0..alphabet.len())])
            .collect();
        check(&source);
    }
}

#[test]
fn mutated_course_snippets_never_panic() {
    let mut rng = fastrand::Rng::with_seed(2024);
    let chars: Vec<char> = SNIPPET.chars().collect();
    for _ in 0..5_000 {
        let mut mutated = chars.clone();
        for _ in 0..rng.usize(1..4) {
            if mutated.is_empty() {
                break;
            }
            let at = rng.usize(0..mutated.len());
            match rng.u8(0..3) {
                0 => {
                    mutated.remove(at);
                }
                1 => mutated.insert(at, chars[rng.usize(0..chars.len())]),
                _ => {
                    let other = rng.usize(0..mutated.len());
                    mutated.swap(at, other);
                }
            }
        }
        check(&mutated.iter().collect::<String>());
    }
}

#[test]
fn adversarial_nesting_is_refused_within_the_stack() {
    let mixes = [
        "(a or b and not c | d ^ e & f << g + h * -i ** ",
        "f(x[",
        "{1: [",
        "not -~+",
        "a.b(c).d[",
    ];
    for mix in mixes {
        for depth in [50, 99, 100, 101, 150, 199, 200, 250, 5_000] {
            check(&mix.repeat(depth));
        }
    }
}
