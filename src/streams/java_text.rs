//! Numbers as the JVM prints them (`Double.toString`, `Float.toString`), which is what Spark's
//! `CAST(x AS STRING)`, `show()` and `to_json` print: `1.0`, `299.98`, `1.0E7`, `1.0E-4`,
//! `NaN`, `Infinity`.
//!
//! Owns this one format. The digits are the shortest that read back to the same number (Rust's
//! and, since JDK 19, Java's rule); older JVMs sometimes printed one more digit.

/// Java's `Double.toString(x)`.
pub fn double_to_string(x: f64) -> String {
    java_text(x, format!("{x:e}"))
}

/// Java's `Float.toString(x)`: the float's own shortest digits, not its double's.
pub fn float_to_string(x: f32) -> String {
    java_text(f64::from(x), format!("{x:e}"))
}

/// `NaN`, `±Infinity`, or `scientific` (Rust's shortest digits of the value) in Java's layout.
fn java_text(x: f64, scientific: String) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    java_form(&scientific, x == 0.0 || (1e-3..1e7).contains(&x.abs()))
}

/// Rewrites Rust's shortest scientific form (`-1.2345e4`) in Java's layout: plain decimal with
/// at least one fraction digit inside [10⁻³, 10⁷), else `d.dddE±n`.
fn java_form(scientific: &str, plain: bool) -> String {
    let (negative, body) = match scientific.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, scientific),
    };
    let (mantissa, exponent) = body.split_once('e').unwrap_or((body, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    if plain {
        if exponent < 0 {
            out.push_str("0.");
            for _ in 0..(-exponent - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                for _ in digits.len()..int_len {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        if digits.len() > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        out.push('E');
        out.push_str(&exponent.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_as_javas_double_to_string() {
        let cases = [
            (1.0, "1.0"),
            (299.98, "299.98"),
            (-0.5, "-0.5"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1234567.0, "1234567.0"),
            (1e7, "1.0E7"),
            (1.25e10, "1.25E10"),
            (0.0, "0.0"),
            (100.0, "100.0"),
        ];
        for (x, text) in cases {
            assert_eq!(double_to_string(x), text, "{x}");
        }
        assert_eq!(double_to_string(f64::NAN), "NaN");
        assert_eq!(double_to_string(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn floats_print_their_own_shortest_digits_not_the_doubles() {
        assert_eq!(float_to_string(299.98_f32), "299.98");
        assert_eq!(float_to_string(0.1_f32), "0.1");
        assert_eq!(float_to_string(3.0e9_f32), "3.0E9");
    }
}
