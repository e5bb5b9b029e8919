//! Queries and commands: the course's SQL, joins, subqueries, and errors.

use super::*;
use crate::streams::sql::ast::{
    BinaryOp, FromItem, JoinConstraint, JoinKind, Literal, OrderBy, Select,
};

fn col(path: &str) -> Expr {
    Expr::Column(path.split('.').map(str::to_string).collect())
}

fn alias(e: Expr, name: &str) -> Expr {
    Expr::Alias(Box::new(e), name.to_string())
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function {
        name: name.to_string(),
        args,
        distinct: false,
    }
}

fn lit_s(v: &str) -> Expr {
    Expr::Literal(Literal::String(v.to_string()))
}

fn table(name: &str, alias: Option<&str>) -> FromItem {
    FromItem::Table {
        name: name.split('.').map(str::to_string).collect(),
        alias: alias.map(str::to_string),
    }
}

fn select(text: &str) -> Select {
    match parse_statement(text) {
        Ok(Statement::Select(s)) => *s,
        other => panic!("{text:?}: {other:?}"),
    }
}

fn error(text: &str) -> String {
    match parse_statement(text) {
        Ok(s) => panic!("{text:?} parsed to {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_exploded_orders_query_selects_struct_fields_and_explodes_the_line_items() {
    let s = select(
        "select key, value.order_id as order_id, value.customer_id as customer_id, \
         explode(value.line_items) as lines from orders",
    );
    assert_eq!(
        s.projection,
        vec![
            col("key"),
            alias(col("value.order_id"), "order_id"),
            alias(col("value.customer_id"), "customer_id"),
            alias(call("explode", vec![col("value.line_items")]), "lines"),
        ]
    );
    assert_eq!(s.from, Some(table("orders", None)));
    assert!(!s.distinct && s.filter.is_none() && s.limit.is_none());
}

#[test]
fn the_chicago_filter_casts_and_filters_on_a_struct_field() {
    let s = select(
        "select CAST(key as string) as key, CAST(value as string) as value from orders \
         where value.city = 'chicago'",
    );
    assert_eq!(
        s.projection,
        vec![
            alias(Expr::Cast(Box::new(col("key")), DataType::String), "key"),
            alias(
                Expr::Cast(Box::new(col("value")), DataType::String),
                "value"
            ),
        ]
    );
    assert_eq!(
        s.filter,
        Some(Expr::Binary(
            Box::new(col("value.city")),
            BinaryOp::Eq,
            Box::new(lit_s("chicago"))
        ))
    );
}

#[test]
fn a_sliding_window_groups_by_window_with_two_intervals() {
    let s = select(
        "SELECT window, count(*) AS clicks FROM clicks \
         GROUP BY window(timestamp, '10 minutes', '5 minutes'), user_id",
    );
    assert_eq!(
        s.group_by,
        vec![
            call(
                "window",
                vec![col("timestamp"), lit_s("10 minutes"), lit_s("5 minutes")]
            ),
            col("user_id"),
        ]
    );
    assert_eq!(s.projection[0], col("window"));
}

#[test]
fn per_customer_totals_aggregate_order_and_limit() {
    let s = select(
        "select value.customer_id, count(*) as total_orders, \
         sum(lines.order_item_subtotal) as total_amount from exploded_orders \
         group by value.customer_id order by total_amount desc limit 10;",
    );
    assert_eq!(
        s.projection,
        vec![
            col("value.customer_id"),
            alias(call("count", vec![Expr::Star(None)]), "total_orders"),
            alias(
                call("sum", vec![col("lines.order_item_subtotal")]),
                "total_amount"
            ),
        ]
    );
    assert_eq!(s.group_by, vec![col("value.customer_id")]);
    assert_eq!(
        s.order_by,
        vec![OrderBy {
            expr: col("total_amount"),
            ascending: false,
            nulls_first: None
        }]
    );
    assert_eq!(s.limit, Some(10));
}

#[test]
fn a_subquery_in_from_takes_its_alias() {
    let s = select("SELECT t.c FROM (SELECT DISTINCT city AS c FROM orders) t WHERE t.c <> ''");
    let Some(FromItem::Subquery { query, alias }) = s.from else {
        panic!("not a subquery");
    };
    assert_eq!(alias.as_deref(), Some("t"));
    assert!(query.distinct);
    assert_eq!(query.projection, vec![self::alias(col("city"), "c")]);
}

#[test]
fn an_inner_join_on_a_condition_nests_left_to_right() {
    let s = select(
        "SELECT o.value.order_id, c.name FROM orders o INNER JOIN customers AS c \
         ON o.value.customer_id = c.id LEFT OUTER JOIN cities USING (city)",
    );
    let on = Expr::Binary(
        Box::new(col("o.value.customer_id")),
        BinaryOp::Eq,
        Box::new(col("c.id")),
    );
    assert_eq!(
        s.from,
        Some(FromItem::Join {
            left: Box::new(FromItem::Join {
                left: Box::new(table("orders", Some("o"))),
                right: Box::new(table("customers", Some("c"))),
                kind: JoinKind::Inner,
                constraint: JoinConstraint::On(on),
            }),
            right: Box::new(table("cities", None)),
            kind: JoinKind::LeftOuter,
            constraint: JoinConstraint::Using(vec!["city".into()]),
        })
    );
}

#[test]
fn commas_and_cross_joins_are_cross_joins() {
    let s = select("select * from a, b cross join c");
    let cross = |l, r| FromItem::Join {
        left: Box::new(l),
        right: Box::new(r),
        kind: JoinKind::Cross,
        constraint: JoinConstraint::None,
    };
    assert_eq!(
        s.from,
        Some(cross(
            table("a", None),
            cross(table("b", None), table("c", None))
        ))
    );
    for (text, kind) in [
        ("select * from a join b on x", JoinKind::Inner),
        ("select * from a right join b on x", JoinKind::RightOuter),
        (
            "select * from a full outer join b on x",
            JoinKind::FullOuter,
        ),
    ] {
        let Some(FromItem::Join { kind: k, .. }) = select(text).from else {
            panic!("{text}");
        };
        assert_eq!(k, kind, "{text}");
    }
}

#[test]
fn group_by_ordinals_stay_integer_literals_and_having_filters_groups() {
    let s = select(
        "select city, count(*) n from orders group by 1 having count(*) > 2 \
         order by 2 asc nulls last, city",
    );
    assert_eq!(s.group_by, vec![Expr::Literal(Literal::Integer(1))]);
    assert!(s.having.is_some());
    assert_eq!(s.order_by[0].nulls_first, Some(false));
    assert!(s.order_by[0].ascending && s.order_by[1].ascending);
}

#[test]
fn a_select_without_from_is_a_query() {
    let s = select("SELECT 1 + 1");
    assert!(s.from.is_none());
    assert_eq!(s.projection.len(), 1);
}

#[test]
fn show_tables_and_describe_are_commands() {
    assert_eq!(
        parse_statement("SHOW TABLES").ok(),
        Some(Statement::ShowTables)
    );
    assert_eq!(
        parse_statement("describe orders_bronze").ok(),
        Some(Statement::Describe(vec!["orders_bronze".into()]))
    );
    assert_eq!(
        parse_statement("DESCRIBE TABLE default.orders_bronze;").ok(),
        Some(Statement::Describe(vec![
            "default".into(),
            "orders_bronze".into()
        ]))
    );
    assert_eq!(
        parse_statement("DESCRIBE HISTORY orders_bronze").ok(),
        Some(Statement::DescribeHistory(vec!["orders_bronze".into()]))
    );
    assert_eq!(
        parse_statement("DESCRIBE history").ok(),
        Some(Statement::Describe(vec!["history".into()]))
    );
}

#[test]
fn a_missing_select_list_is_sparks_error_at_from() {
    assert_eq!(
        error("select FROM x"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'.(line 1, pos 7)\n\n== SQL ==\n\
         select FROM x\n-------^^^\n"
    );
}

#[test]
fn a_query_cut_short_errs_at_end_of_input_on_its_last_line() {
    assert_eq!(
        error("\nselect a\nfrom orders where\n"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 4, pos 0)\n\n\
         == SQL ==\n\nselect a\nfrom orders where\n^^^\n"
    );
}

#[test]
fn an_error_on_an_inner_line_shows_the_lines_after_the_caret() {
    assert_eq!(
        error("select a\nfrom orders\nwhere city = = 'x'\nlimit 5"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '='.(line 3, pos 13)\n\n== SQL ==\n\
         select a\nfrom orders\nwhere city = = 'x'\n-------------^^^\nlimit 5\n"
    );
}

#[test]
fn a_set_operation_is_refused_at_its_keyword() {
    assert_eq!(
        error("select a from t union select b from u"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near 'union'.(line 1, pos 16)\n\n== SQL ==\n\
         select a from t union select b from u\n----------------^^^\n"
    );
}

#[test]
fn an_empty_statement_is_sparks_empty_statement_error() {
    assert!(matches!(
        parse_statement(""),
        Err(SqlError::EmptyStatement { .. })
    ));
}

#[test]
fn subqueries_nested_past_the_limit_are_refused() {
    let deep = "select * from (".repeat(5_000);
    assert!(matches!(
        parse_statement(&deep),
        Err(SqlError::TooDeep { .. })
    ));
}

#[test]
fn subqueries_nested_just_under_the_limit_still_parse() {
    let n = MAX_DEPTH / 5 - 1;
    let text = format!("{}select 1{}", "select * from (".repeat(n), ") t".repeat(n));
    assert!(parse_statement(&text).is_ok());
}
