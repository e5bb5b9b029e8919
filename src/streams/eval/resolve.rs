//! Name resolution (Spark 3.5's `LogicalPlan.resolve`, `ExtractValue`, and the suggestions of
//! `StringUtils.orderSuggestedIdentifiersBySimilarity`): a dotted path becomes a column of the
//! input, maybe behind a FROM alias, and then struct fields, array-of-struct fields or map
//! values.
//!
//! Owns lookup and its errors (`UNRESOLVED_COLUMN`, `AMBIGUOUS_REFERENCE`, `FIELD_NOT_FOUND`).

use super::bind::Binder;
use super::bound::BoundExpr;
use super::error::{quote_id, quote_type, EvalError};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

impl Binder<'_, '_> {
    /// Spark's `LogicalPlan.resolve`: `alias.column.field…` when the first part is a FROM
    /// alias, else `column.field…`.
    #[inline(never)]
    pub(super) fn column(&self, parts: &[String]) -> Result<BoundExpr, EvalError> {
        let Some((first, rest)) = parts.split_first() else {
            return Err(self.unresolved(parts));
        };
        if let Some((second, fields)) = rest.split_first() {
            let matches: Vec<usize> = self
                .ctx
                .qualifiers
                .iter()
                .filter(|q| q.name.eq_ignore_ascii_case(first))
                .flat_map(|q| q.start..q.end.min(self.input.len()))
                .filter(|&i| self.input[i].name.eq_ignore_ascii_case(second))
                .collect();
            if !matches.is_empty() {
                return self.path(parts, &matches, fields);
            }
        }
        let matches: Vec<usize> = self
            .input
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name.eq_ignore_ascii_case(first))
            .map(|(i, _)| i)
            .collect();
        if matches.is_empty() {
            return Err(self.unresolved(parts));
        }
        self.path(parts, &matches, rest)
    }

    fn path(
        &self,
        parts: &[String],
        matches: &[usize],
        fields: &[String],
    ) -> Result<BoundExpr, EvalError> {
        let (&index, others) = match matches.split_first() {
            Some(x) => x,
            None => return Err(self.unresolved(parts)),
        };
        if !others.is_empty() {
            let candidates: Vec<String> = matches
                .iter()
                .map(|&i| quote_id(&self.qualified_name(i)))
                .collect();
            return Err(EvalError::AmbiguousReference {
                name: quote_id(parts),
                candidates: candidates.join(", "),
            });
        }
        let Some(field) = self.input.get(index) else {
            return Err(self.unresolved(parts));
        };
        let mut bound = BoundExpr::Column {
            index,
            data_type: field.data_type.clone(),
            nullable: field.nullable,
        };
        let mut base = field.name.clone();
        for name in fields {
            bound = extract_field(bound, name, &base)?;
            base = format!("{base}.{name}");
        }
        Ok(bound)
    }

    fn qualified_name(&self, index: usize) -> Vec<String> {
        let name = self
            .input
            .get(index)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        match self
            .ctx
            .qualifiers
            .iter()
            .find(|q| (q.start..q.end).contains(&index))
        {
            Some(q) => vec![q.name.clone(), name],
            None => vec![name],
        }
    }

    /// `UNRESOLVED_COLUMN` with Spark's suggestions (`StringUtils.orderSuggestedIdentifiers
    /// BySimilarity`): qualifiers dropped when all candidates share one, quoted, sorted
    /// (stably) by Levenshtein distance to the name as written, the first five.
    fn unresolved(&self, parts: &[String]) -> EvalError {
        let base = parts
            .iter()
            .map(|p| quote_if_needed(p))
            .collect::<Vec<_>>()
            .join(".");
        let candidates: Vec<Vec<String>> = (0..self.input.len())
            .map(|i| self.qualified_name(i))
            .collect();
        let same_qualifier = candidates
            .iter()
            .all(|c| c[..c.len() - 1] == candidates[0][..candidates[0].len() - 1]);
        let stripped: Vec<String> = candidates
            .iter()
            .map(|c| {
                if parts.len() == 1 && same_qualifier {
                    quote_id(&c[c.len() - 1..])
                } else {
                    quote_id(c)
                }
            })
            .collect();
        let mut scored: Vec<(usize, String)> = stripped
            .into_iter()
            .map(|s| (levenshtein(&s, &base), s))
            .collect();
        crate::sort::sort_by_key(&mut scored, |(distance, _)| *distance);
        EvalError::UnresolvedColumn {
            name: quote_id(parts),
            suggestions: scored.into_iter().take(5).map(|(_, s)| s).collect(),
        }
    }
}

/// `base.name` on a struct (`GetStructField`), an array of structs (`GetArrayStructFields`)
/// or a map with string keys (`GetMapValue`).
pub(super) fn extract_field(
    base: BoundExpr,
    name: &str,
    base_sql: &str,
) -> Result<BoundExpr, EvalError> {
    let not_found = |fields: &[StructField]| EvalError::FieldNotFound {
        field: quote_id(&[name.to_string()]),
        fields: fields
            .iter()
            .map(|f| quote_id(std::slice::from_ref(&f.name)))
            .collect::<Vec<_>>()
            .join(", "),
    };
    // A struct's field by name, case-insensitively, as Spark resolves it.
    let find = |fields: &[StructField]| {
        fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
            .map(|index| (index, fields[index].data_type.clone()))
            .ok_or_else(|| not_found(fields))
    };
    match base.data_type() {
        DataType::Struct(fields) => {
            let (index, data_type) = find(&fields)?;
            Ok(BoundExpr::Field {
                child: Box::new(base),
                index,
                data_type,
            })
        }
        DataType::Array { element, .. } => match *element {
            DataType::Struct(fields) => {
                let (index, data_type) = find(&fields)?;
                Ok(BoundExpr::ArrayField {
                    child: Box::new(base),
                    index,
                    data_type: DataType::Array {
                        element: Box::new(data_type),
                        contains_null: true,
                    },
                })
            }
            other => Err(invalid_extract(base_sql, &DataType::array_of(other))),
        },
        DataType::Map { key, value, .. } if *key == DataType::String => Ok(BoundExpr::Index {
            child: Box::new(base),
            key: Box::new(BoundExpr::Literal(Value::string(name), DataType::String)),
            data_type: *value,
        }),
        other => Err(invalid_extract(base_sql, &other)),
    }
}

fn invalid_extract(base_sql: &str, t: &DataType) -> EvalError {
    EvalError::Unsupported(format!(
        "[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from \"{base_sql}\". Need a complex type [STRUCT, ARRAY, MAP] but got {}.",
        quote_type(t)
    ))
}

/// Spark's `quoteIfNeeded`: a name of word characters (not all digits) as is, else in
/// backticks.
fn quote_if_needed(part: &str) -> String {
    let word = !part.is_empty()
        && part.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !part.chars().all(|c| c.is_ascii_digit());
    if word {
        part.to_string()
    } else {
        format!("`{}`", part.replace('`', "``"))
    }
}

/// Levenshtein distance in characters (Apache Commons Text's, which Spark uses).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current[j + 1] = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}
