package emulator

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// dbSchema is what information_schema says about one database: the raw
// material of a data summary (§6.4, §11.2).
type dbSchema struct {
	tables []*tableSchema // by name
}

type tableSchema struct {
	name    string
	comment string
	columns []columnSchema // in ordinal order
	fks     []foreignKey
}

type columnSchema struct {
	name, comment, typ string
	nullable           bool
	def                any // the column default, nil for none
	primary            bool
	autoincrement      bool
}

type foreignKey struct {
	column, refTable, refColumn string
}

func (d *dbSchema) table(name string) *tableSchema {
	for _, t := range d.tables {
		// Table names are case-sensitive in MySQL on Linux, but the
		// service's AI matches them loosely; a summary update by the
		// wrong case is still clearly meant.
		if strings.EqualFold(t.name, name) {
			return t
		}
	}
	return nil
}

func (t *tableSchema) column(name string) *columnSchema {
	for i := range t.columns {
		if strings.EqualFold(t.columns[i].name, name) {
			return &t.columns[i]
		}
	}
	return nil
}

// schemaCache reads each database's schema once: the emulated databases are
// read-only, so it never changes.
type schemaCache struct {
	mu   sync.Mutex
	byDB map[string]*dbSchema
}

// schema returns database's schema, reading information_schema through the
// Querier the first time. It does not take s.mu.
func (s *Server) schema(ctx context.Context, database string) (*dbSchema, error) {
	s.schemas.mu.Lock()
	defer s.schemas.mu.Unlock()
	if d, ok := s.schemas.byDB[database]; ok {
		return d, nil
	}
	d, err := describe(ctx, s.opts.DB, database)
	if err != nil {
		return nil, fmt.Errorf("reading the schema of %s: %w", database, err)
	}
	if s.schemas.byDB == nil {
		s.schemas.byDB = map[string]*dbSchema{}
	}
	s.schemas.byDB[database] = d
	return d, nil
}

// describe reads tables, columns (with their COMMENTs) and foreign keys from
// information_schema, as the real service's analysis starts from.
func describe(ctx context.Context, q Querier, database string) (*dbSchema, error) {
	lit := "'" + strings.ReplaceAll(database, "'", "''") + "'"
	d := &dbSchema{}
	byName := map[string]*tableSchema{}
	res, err := q.Query(ctx, database, "SELECT `table_name`, `table_comment` FROM `information_schema`.`tables` WHERE `table_schema` = "+lit+" ORDER BY `table_name`")
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		t := &tableSchema{name: text(row[0]), comment: text(row[1])}
		d.tables = append(d.tables, t)
		byName[t.name] = t
	}
	res, err = q.Query(ctx, database, "SELECT `table_name`, `column_name`, `column_comment`, `column_type`, `is_nullable`, `column_default`, `column_key`, `extra` FROM `information_schema`.`columns` WHERE `table_schema` = "+lit+" ORDER BY `table_name`, `ordinal_position`")
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		t := byName[text(row[0])]
		if t == nil {
			continue // a view's columns
		}
		t.columns = append(t.columns, columnSchema{
			name: text(row[1]), comment: text(row[2]), typ: text(row[3]),
			nullable:      strings.EqualFold(text(row[4]), "YES"),
			def:           row[5],
			primary:       text(row[6]) == "PRI",
			autoincrement: strings.Contains(strings.ToLower(text(row[7])), "auto_increment"),
		})
	}
	res, err = q.Query(ctx, database, "SELECT `table_name`, `column_name`, `referenced_table_name`, `referenced_column_name` FROM `information_schema`.`key_column_usage` WHERE `table_schema` = "+lit+" AND `referenced_table_name` IS NOT NULL ORDER BY `table_name`, `constraint_name`, `ordinal_position`")
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		if t := byName[text(row[0])]; t != nil {
			t.fks = append(t.fks, foreignKey{column: text(row[1]), refTable: text(row[2]), refColumn: text(row[3])})
		}
	}
	return d, nil
}

// text renders a result value as a string ("" for NULL).
func text(v any) string {
	if v == nil {
		return ""
	}
	s, _ := cell(v).(string)
	return s
}
