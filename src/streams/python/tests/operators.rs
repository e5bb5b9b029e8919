//! Python's operators, with Python's precedence and associativity.

use super::{error, parsed};

#[test]
fn arithmetic_binds_as_in_python() {
    assert_eq!(parsed("1 + 2 * 3 - 4 / 5"), "((1 + (2 * 3)) - (4 / 5))");
    assert_eq!(parsed("a // b % c"), "((a // b) % c)");
    assert_eq!(parsed("a - b - c"), "((a - b) - c)");
}

#[test]
fn power_is_right_associative_and_binds_tighter_than_unary_minus_on_its_left() {
    assert_eq!(parsed("2 ** 3 ** 2"), "(2 ** (3 ** 2))");
    assert_eq!(parsed("-2 ** 2"), "(-(2 ** 2))");
    assert_eq!(parsed("2 ** -1"), "(2 ** (-1))");
    assert_eq!(parsed("a.b ** c[0]"), "(a.b ** c[0])");
}

#[test]
fn unary_operators_stack() {
    assert_eq!(parsed("- -x"), "(-(-x))");
    assert_eq!(parsed("+x"), "(+x)");
    assert_eq!(parsed("~col('a')"), r#"(~col("a"))"#);
    assert_eq!(parsed("-x * y"), "((-x) * y)");
}

#[test]
fn bitwise_operators_sit_between_arithmetic_and_comparisons() {
    assert_eq!(parsed("a | b & c"), "(a | (b & c))");
    assert_eq!(parsed("a ^ b | c"), "((a ^ b) | c)");
    assert_eq!(parsed("a & b ^ c"), "((a & b) ^ c)");
    assert_eq!(parsed("a << 1 + 2"), "(a << (1 + 2))");
    assert_eq!(parsed("a >> b & c"), "((a >> b) & c)");
    // PySpark's classic trap: `&` binds tighter than `==`, so this is a chain `a == (b & c) == d`.
    assert!(error("a == b & c == d").0.contains("chained comparisons"));
}

#[test]
fn comparisons_of_every_kind() {
    assert_eq!(parsed("a == 1"), "(a == 1)");
    assert_eq!(parsed("a != 1"), "(a != 1)");
    assert_eq!(parsed("a <= b + 1"), "(a <= (b + 1))");
    assert_eq!(parsed("a > b"), "(a > b)");
    assert_eq!(parsed("a >= b"), "(a >= b)");
    assert_eq!(parsed("a < b"), "(a < b)");
    assert_eq!(parsed("'x' in names"), r#"("x" in names)"#);
    assert_eq!(parsed("x not in names"), "(x not in names)");
    assert_eq!(parsed("x is None"), "(x is None)");
    assert_eq!(parsed("x is not None"), "(x is not None)");
}

#[test]
fn not_and_or_bind_loosest_in_that_order() {
    assert_eq!(parsed("not a == b"), "(not (a == b))");
    assert_eq!(parsed("not a and b"), "((not a) and b)");
    assert_eq!(parsed("a or b and c"), "(a or (b and c))");
    assert_eq!(parsed("a or b or c"), "((a or b) or c)");
    assert_eq!(parsed("not not a"), "(not (not a))");
    assert_eq!(error("a == not b").0, "SyntaxError: invalid syntax");
}

#[test]
fn a_parenthesised_comparison_may_be_compared_again() {
    assert_eq!(parsed("(a < b) == c"), "((a < b) == c)");
    assert_eq!(
        parsed("(col('a') > 1) & (col('b') < 2)"),
        r#"((col("a") > 1) & (col("b") < 2))"#
    );
}
