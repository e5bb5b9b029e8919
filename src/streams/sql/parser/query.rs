//! Statements and queries (`singleStatement`, `query`, `fromClause`, `joinRelation` in
//! `SqlBaseParser.g4`): `SELECT [DISTINCT] … FROM … [JOIN …] WHERE … GROUP BY … HAVING …
//! ORDER BY … LIMIT n`, `SHOW TABLES`, `DESCRIBE [TABLE] name`, `DESCRIBE HISTORY name`.
//!
//! Not here (no syntax-tree node for them): set operations (`UNION`), `WITH`, `LEFT SEMI` /
//! `ANTI` and `NATURAL` joins, `LATERAL VIEW`, `GROUPING SETS` / `ROLLUP` / `CUBE`, `SORT BY`
//! / `CLUSTER BY`, `OFFSET`, window definitions. Each is a syntax error at its first word.

use super::Parser;
use crate::streams::sql::ast::{FromItem, JoinConstraint, JoinKind, OrderBy, Select, Statement};
use crate::streams::sql::error::SqlError;
use crate::streams::sql::lexer::{NumberKind, Tok};

/// How many nesting levels a subquery counts for (see `Parser::nested_by`).
const SUBQUERY_WEIGHT: usize = 5;

impl Parser<'_> {
    /// One statement, without its trailing `;`.
    pub(super) fn statement(&mut self) -> Result<Statement, SqlError> {
        if self.is_kw("SELECT") {
            return Ok(Statement::Select(Box::new(self.query()?)));
        }
        if self.is_kw("SHOW") && self.is_kw_at(1, "TABLES") {
            self.i += 2;
            return Ok(Statement::ShowTables);
        }
        if self.eat_kw("DESCRIBE") || self.eat_kw("DESC") {
            let names_follow = |p: &Self| matches!(p.peek_at(1).tok, Tok::Word | Tok::Quoted(_));
            // `DESCRIBE history` describes a table called `history`.
            if self.is_kw("HISTORY") && names_follow(self) {
                self.advance();
                return Ok(Statement::DescribeHistory(self.multipart_name()?));
            }
            if self.is_kw("TABLE") && names_follow(self) {
                self.advance();
            }
            return Ok(Statement::Describe(self.multipart_name()?));
        }
        Err(self.error_here())
    }

    /// `SELECT …` up to `LIMIT`.
    fn query(&mut self) -> Result<Select, SqlError> {
        self.expect_kw("SELECT")?;
        let distinct = self.eat_kw("DISTINCT");
        if !distinct {
            self.eat_kw("ALL");
        }
        let mut projection = vec![self.named_expression()?];
        while self.eat(&Tok::Comma) {
            projection.push(self.named_expression()?);
        }
        let from = if self.eat_kw("FROM") {
            Some(self.relations()?)
        } else {
            None
        };
        let filter = if self.eat_kw("WHERE") {
            Some(self.expression()?)
        } else {
            None
        };
        let group_by = if self.is_kw("GROUP") {
            self.advance();
            self.expect_kw("BY")?;
            self.expression_list()?
        } else {
            Vec::new()
        };
        let having = if self.eat_kw("HAVING") {
            Some(self.expression()?)
        } else {
            None
        };
        let mut order_by = Vec::new();
        if self.is_kw("ORDER") {
            self.advance();
            self.expect_kw("BY")?;
            order_by.push(self.order_item()?);
            while self.eat(&Tok::Comma) {
                order_by.push(self.order_item()?);
            }
        }
        let limit = if self.eat_kw("LIMIT") {
            self.limit()?
        } else {
            None
        };
        Ok(Select {
            distinct,
            projection,
            from,
            filter,
            group_by,
            having,
            order_by,
            limit,
        })
    }

    /// `LIMIT n` (a whole number) or `LIMIT ALL`.
    fn limit(&mut self) -> Result<Option<u64>, SqlError> {
        if self.eat_kw("ALL") {
            return Ok(None);
        }
        let t = self.peek().clone();
        if t.tok == Tok::Number(NumberKind::Integer) {
            if let Ok(n) = self.text_of(&t).parse::<u64>() {
                self.advance();
                return Ok(Some(n));
            }
        }
        Err(self.error_at(&t))
    }

    /// `expr [ASC|DESC] [NULLS FIRST|LAST]`.
    fn order_item(&mut self) -> Result<OrderBy, SqlError> {
        let expr = self.expression()?;
        let ascending = if self.eat_kw("DESC") {
            false
        } else {
            self.eat_kw("ASC");
            true
        };
        let nulls_first = if self.eat_kw("NULLS") {
            if self.eat_kw("FIRST") {
                Some(true)
            } else {
                self.expect_kw("LAST")?;
                Some(false)
            }
        } else {
            None
        };
        Ok(OrderBy {
            expr,
            ascending,
            nulls_first,
        })
    }

    /// Relations separated by commas: each comma is a cross join, left to right.
    fn relations(&mut self) -> Result<FromItem, SqlError> {
        let mut item = self.relation()?;
        while self.eat(&Tok::Comma) {
            let right = self.relation()?;
            item = FromItem::Join {
                left: Box::new(item),
                right: Box::new(right),
                kind: JoinKind::Cross,
                constraint: JoinConstraint::None,
            };
        }
        Ok(item)
    }

    /// One relation and the joins that follow it.
    fn relation(&mut self) -> Result<FromItem, SqlError> {
        let mut left = self.relation_primary()?;
        while let Some(kind) = self.join_kind()? {
            let right = self.relation_primary()?;
            let constraint = if self.eat_kw("ON") {
                JoinConstraint::On(self.expression()?)
            } else if self.eat_kw("USING") {
                self.expect(&Tok::LParen)?;
                let mut names = vec![self.identifier(false)?];
                while self.eat(&Tok::Comma) {
                    names.push(self.identifier(false)?);
                }
                self.expect(&Tok::RParen)?;
                JoinConstraint::Using(names)
            } else {
                JoinConstraint::None
            };
            left = FromItem::Join {
                left: Box::new(left),
                right: Box::new(right),
                kind,
                constraint,
            };
        }
        Ok(left)
    }

    /// The join words at the next token, consumed, if a join follows.
    fn join_kind(&mut self) -> Result<Option<JoinKind>, SqlError> {
        let kind = if self.is_kw("JOIN") || self.eat_kw("INNER") {
            JoinKind::Inner
        } else if self.eat_kw("CROSS") {
            JoinKind::Cross
        } else if self.eat_kw("LEFT") {
            self.eat_kw("OUTER");
            JoinKind::LeftOuter
        } else if self.eat_kw("RIGHT") {
            self.eat_kw("OUTER");
            JoinKind::RightOuter
        } else if self.eat_kw("FULL") {
            self.eat_kw("OUTER");
            JoinKind::FullOuter
        } else {
            return Ok(None);
        };
        self.expect_kw("JOIN")?;
        Ok(Some(kind))
    }

    /// A table name or a parenthesised subquery, with an optional alias.
    fn relation_primary(&mut self) -> Result<FromItem, SqlError> {
        if self.eat(&Tok::LParen) {
            let query = self.nested_by(SUBQUERY_WEIGHT, |p| p.query())?;
            self.expect(&Tok::RParen)?;
            let alias = self.table_alias()?;
            return Ok(FromItem::Subquery {
                query: Box::new(query),
                alias,
            });
        }
        let name = self.multipart_name()?;
        let alias = self.table_alias()?;
        Ok(FromItem::Table { name, alias })
    }

    /// `[AS] alias`, if one follows.
    fn table_alias(&mut self) -> Result<Option<String>, SqlError> {
        if self.eat_kw("AS") {
            return Ok(Some(self.identifier(false)?));
        }
        if self.at_bare_alias() {
            return Ok(Some(self.identifier(false)?));
        }
        Ok(None)
    }

    /// `name[.name…]`.
    fn multipart_name(&mut self) -> Result<Vec<String>, SqlError> {
        let mut parts = vec![self.identifier(false)?];
        while self.is(&Tok::Dot) {
            self.advance();
            parts.push(self.identifier(true)?);
        }
        Ok(parts)
    }
}
