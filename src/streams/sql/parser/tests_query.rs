//! Queries and commands: the course's SQL, joins, subqueries, and errors.
