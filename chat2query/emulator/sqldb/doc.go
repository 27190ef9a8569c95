// Package sqldb is the SQL engine of the emulated TiDB cluster: an in-memory go-mysql-server
// holding the sample database sp500insight.
//
// The data is generated from a fixed seed with integer arithmetic only (generate.go), so every
// Open on every machine yields the same rows. The schema is schema.sql: a COMMENT on every
// table and column, primary keys, and FOREIGN KEYs between the tables, which SHOW CREATE TABLE
// and information_schema report. The tables carry no indexes (go-mysql-server's in-memory
// indexes scan the whole table per lookup, so joins are faster as hash joins), and the foreign
// keys are metadata only; see createSchema and load for these and other workarounds.
//
// The database is read-only: Query executes only the statements the Chat2Query "SQL ReadOnly"
// role may run (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN), as c2q's one read-only guard
// (sqlmatch.CheckReadOnly, an allow-list over TiDB's AST) accepts them; the MySQL endpoint
// (ServeMySQL) passes every statement through the same guard. Query returns at most MaxRows
// rows, and converts values to what a MySQL client shows. The engine is go-mysql-server, not
// TiDB: some results differ from MySQL's (SUM and AVG of integers and SUM of DECIMALs are
// DOUBLE, for example) and some functions are missing (MEDIAN, and GREATEST/LEAST of
// DECIMALs).
//
// # What it owns, and what it must not do
//
// The package owns the emulator's SQL engine: the sample data and schema, the users' scripts
// (ExecScript, LoadFile), read-only queries and the MySQL endpoint. It knows nothing of the
// Chat2Query API, HTTP or HCL, and must not change anything process-wide. go-mysql-server reads
// some settings from package-level state, so engines are built one at a time (engineMu). The
// engine's sessions log to a logger of their own that discards everything; what go-mysql-server
// logs through logrus's standard logger (the MySQL server's start and stop, each connection, a
// warning about secure_file_priv) can only be silenced process-wide, so it is left to the
// program: c2q's serve command sets that logger's level.
package sqldb
