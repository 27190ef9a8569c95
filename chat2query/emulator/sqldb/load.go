package sqldb

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/shopspring/decimal"
)

// load puts the generated rows into the tables created from schema.sql.
//
// go-mysql-server's memory tables insert in quadratic time: every row applied to a table with a
// primary key is compared with every row already stored (pkTableEditAccumulator.insertHelper in
// v0.20.0), so the ~40,000 rows of stock_prices take about 14 s through the table API or INSERT
// statements. A table without indexes (all of them: see createSchema) is therefore filled
// directly: its rows, converted to the column types and sorted by primary key, become its single
// partition (bulkFill). If the memory package's layout is not the one bulkFill knows, the rows go
// through the ordinary inserter, slowly but correctly.
func load(ctx *sql.Context, db *memory.Database, data dataset) error {
	for name, t := range db.Tables() { // the stored tables, not the session copies GetTableInsensitive returns
		tbl, ok := t.(*memory.Table)
		if !ok {
			return fmt.Errorf("table %s is not a memory table", name)
		}
		rows, err := convertRows(ctx, tbl.Schema(), data[name])
		if err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		if bulkFillable(ctx, tbl) && bulkFill(tbl, rows) {
			continue
		}
		if err := insertRows(ctx, tbl, rows); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
	}
	return nil
}

// convertRows converts generated values to the stored form of their column types.
func convertRows(ctx *sql.Context, schema sql.Schema, values [][]any) ([]sql.Row, error) {
	rows := make([]sql.Row, len(values))
	for i, vals := range values {
		if len(vals) != len(schema) {
			return nil, fmt.Errorf("row %d has %d values for %d columns", i, len(vals), len(schema))
		}
		row := make(sql.Row, len(vals))
		for j, v := range vals {
			if d, ok := v.(decimal.Decimal); ok && isStoredDecimal(schema[j].Type, d) {
				row[j] = d // already in stored form; Convert would round-trip it through a string
				continue
			}
			cv, inRange, err := schema[j].Type.Convert(ctx, v)
			if err != nil {
				return nil, fmt.Errorf("row %d column %s: %w", i, schema[j].Name, err)
			}
			if inRange != sql.InRange {
				return nil, fmt.Errorf("row %d column %s: %v out of range", i, schema[j].Name, v)
			}
			row[j] = cv
		}
		rows[i] = row
	}
	return rows, nil
}

// isStoredDecimal reports whether d is a value of the DECIMAL type typ as the engine stores it:
// scaled to the type's scale and within its precision.
func isStoredDecimal(typ sql.Type, d decimal.Decimal) bool {
	dt, ok := typ.(sql.DecimalType)
	if !ok || d.Exponent() != -int32(dt.Scale()) {
		return false
	}
	c := d.Coefficient()
	if !c.IsInt64() {
		return false
	}
	digits, limit := int(dt.Precision()), int64(1)
	if digits > 18 {
		return true // every int64 has at most 19 digits
	}
	for range digits {
		limit *= 10
	}
	v := c.Int64()
	return v < limit && v > -limit
}

// insertRows inserts through the table API in one transaction.
func insertRows(ctx *sql.Context, tbl *memory.Table, rows []sql.Row) error {
	session := memory.SessionFromContext(ctx)
	tx, err := session.StartTransaction(ctx, sql.ReadWrite)
	if err != nil {
		return err
	}
	ctx.SetTransaction(tx)
	defer ctx.SetTransaction(nil)
	inserter := tbl.Inserter(ctx)
	for _, row := range rows {
		if err := inserter.Insert(ctx, row); err != nil {
			_ = inserter.Close(ctx)
			return err
		}
	}
	if err := inserter.Close(ctx); err != nil {
		return err
	}
	return session.CommitTransaction(ctx, tx)
}

// bulkFillable reports whether tbl has no index to maintain.
func bulkFillable(ctx *sql.Context, tbl *memory.Table) bool {
	indexes, err := tbl.GetIndexes(ctx)
	return err == nil && len(indexes) == 0
}

// bulkFill stores rows as the only partition of the empty stored table tbl, which must be
// bulkFillable, and reports whether it did. The rows must be sorted by primary key, as the
// memory table keeps them. It reaches into memory.TableData's unexported fields; the checks make
// it decline, rather than misbehave, if their layout changes.
func bulkFill(tbl *memory.Table, rows []sql.Row) bool {
	dataField := reflect.ValueOf(tbl).Elem().FieldByName("data")
	if !dataField.IsValid() || dataField.Type() != reflect.TypeFor[*memory.TableData]() {
		return false
	}
	data := reflect.NewAt(dataField.Type(), unsafe.Pointer(dataField.UnsafeAddr())).Elem().Interface().(*memory.TableData)
	dv := reflect.ValueOf(data).Elem()
	partsField := dv.FieldByName("partitions")
	keysField := dv.FieldByName("partitionKeys")
	secondaryField := dv.FieldByName("secondaryIndexStorage")
	if !partsField.IsValid() || partsField.Type() != reflect.TypeFor[map[string][]sql.Row]() ||
		!keysField.IsValid() || keysField.Type() != reflect.TypeFor[[][]byte]() ||
		!secondaryField.IsValid() || secondaryField.Kind() != reflect.Map || secondaryField.Len() != 0 {
		return false
	}
	parts := *(*map[string][]sql.Row)(unsafe.Pointer(partsField.UnsafeAddr()))
	keys := *(*[][]byte)(unsafe.Pointer(keysField.UnsafeAddr()))
	if len(keys) != 1 || len(parts) != 1 || len(parts[string(keys[0])]) != 0 {
		return false
	}
	parts[string(keys[0])] = rows
	return true
}
