//! Data types and DDL schema strings (`dataType`, `complexColType`, `colType` in
//! `SqlBaseParser.g4`; the names in Spark's `DataTypeAstBuilder.visitPrimitiveDataType`).
//!
//! Matched from Spark: names without case, `byte`/`short`/`long`/`integer`/`real` aliases,
//! `array<T>`, `map<K, V>`, `struct<a: T, b T>` (colon optional inside `struct<…>`, not between a
//! top-level column and its type), `struct<>`, back-quoted names, `NOT NULL` and
//! `COMMENT '…'` per field, and `[UNSUPPORTED_DATATYPE]` for an unknown name.
//! Brooklet's differences: `decimal`/`dec`/`numeric` (with or without precision) are `double`;
//! `timestamp_ltz`/`timestamp_ntz` are `timestamp`; field comments are dropped; interval types
//! are not supported.

use super::Parser;
use crate::streams::sql::error::SqlError;
use crate::streams::sql::lexer::{NumberKind, Tok};
use crate::streams::types::{DataType, StructField};

impl Parser<'_> {
    /// One data type.
    pub(super) fn data_type(&mut self) -> Result<DataType, SqlError> {
        self.nested(|p| p.data_type_inner())
    }

    fn data_type_inner(&mut self) -> Result<DataType, SqlError> {
        let t = self.peek().clone();
        if t.tok != Tok::Word {
            return Err(self.error_at(&t));
        }
        let name = self.text_of(&t).to_ascii_lowercase();
        self.advance();
        match name.as_str() {
            "array" => {
                self.expect(&Tok::Lt)?;
                let element = self.data_type()?;
                self.expect(&Tok::Gt)?;
                return Ok(DataType::array_of(element));
            }
            "map" => {
                self.expect(&Tok::Lt)?;
                let key = self.data_type()?;
                self.expect(&Tok::Comma)?;
                let value = self.data_type()?;
                self.expect(&Tok::Gt)?;
                return Ok(DataType::Map {
                    key: Box::new(key),
                    value: Box::new(value),
                    value_contains_null: true,
                });
            }
            "struct" => {
                if self.eat(&Tok::LtGt) {
                    return Ok(DataType::Struct(Vec::new()));
                }
                self.expect(&Tok::Lt)?;
                let mut fields = Vec::new();
                if !self.is(&Tok::Gt) {
                    fields.push(self.column(true)?);
                    while self.eat(&Tok::Comma) {
                        fields.push(self.column(true)?);
                    }
                }
                self.expect(&Tok::Gt)?;
                return Ok(DataType::Struct(fields));
            }
            _ => {}
        }
        let mut params = Vec::new();
        if self.eat(&Tok::LParen) {
            loop {
                let n = self.peek().clone();
                if n.tok != Tok::Number(NumberKind::Integer) {
                    return Err(self.error_at(&n));
                }
                self.advance();
                params.push(self.text_of(&n).to_string());
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            self.expect(&Tok::RParen)?;
        }
        let ty = match (name.as_str(), params.len()) {
            ("boolean", 0) => DataType::Boolean,
            ("tinyint" | "byte", 0) => DataType::Byte,
            ("smallint" | "short", 0) => DataType::Short,
            ("int" | "integer", 0) => DataType::Integer,
            ("bigint" | "long", 0) => DataType::Long,
            ("float" | "real", 0) => DataType::Float,
            ("double", 0) => DataType::Double,
            ("date", 0) => DataType::Date,
            ("timestamp" | "timestamp_ltz" | "timestamp_ntz", 0) => DataType::Timestamp,
            ("string", 0) => DataType::String,
            ("char" | "character" | "varchar", 1) => DataType::String,
            ("binary", 0) => DataType::Binary,
            ("decimal" | "dec" | "numeric", 0..=2) => DataType::Double,
            ("void", 0) => DataType::Null,
            _ => {
                let shown = if params.is_empty() {
                    name.clone()
                } else {
                    format!("{name}({})", params.join(","))
                };
                return Err(SqlError::UnsupportedDataType {
                    type_name: format!("\"{}\"", shown.to_ascii_uppercase()),
                    at: t.at,
                    command: self.text.to_string(),
                });
            }
        };
        Ok(ty)
    }

    /// `name [:] type [NOT NULL] [COMMENT '…']`; the colon only inside `struct<…>`.
    fn column(&mut self, in_struct: bool) -> Result<StructField, SqlError> {
        let name = self.identifier(true)?;
        if in_struct {
            self.eat(&Tok::Colon);
        }
        let data_type = self.data_type()?;
        let mut nullable = true;
        if self.is_kw("NOT") {
            self.advance();
            self.expect_kw("NULL")?;
            nullable = false;
        }
        if self.eat_kw("COMMENT") {
            if !matches!(self.peek().tok, Tok::Str(_)) {
                return Err(self.error_here());
            }
            self.advance();
        }
        Ok(StructField {
            name,
            data_type,
            nullable,
        })
    }

    /// Columns separated by commas (Spark's `colTypeList`).
    pub(super) fn table_schema(&mut self) -> Result<Vec<StructField>, SqlError> {
        let mut columns = vec![self.column(false)?];
        while self.eat(&Tok::Comma) {
            columns.push(self.column(false)?);
        }
        Ok(columns)
    }
}
