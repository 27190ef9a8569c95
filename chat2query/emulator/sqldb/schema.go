package sqldb

import (
	"fmt"
	"strings"

	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/vitess/go/vt/sqlparser"
)

// createSchema executes schema.sql against the empty database mdb, working around two
// limitations of go-mysql-server's memory tables:
//   - a CREATE TABLE with a PRIMARY KEY loses its table COMMENT (the engine creates it through
//     CreateIndexedTable, which takes no comment), so each table is re-created with its comment;
//   - FOREIGN KEYs need indexes, and memory indexes scan the whole table on every lookup, which
//     turns joins that the planner makes into index lookups from milliseconds into minutes. The
//     ALTER TABLE ... ADD FOREIGN KEY statements are therefore recorded in the database's
//     foreign-key collection as metadata (SHOW CREATE TABLE and information_schema report them)
//     and no index is created: every join is a hash join.
func (db *DB) createSchema(ctx *sql.Context, mdb *memory.Database, script string) error {
	stmts, err := splitStatements(script)
	if err != nil {
		return err
	}
	var fks []sql.ForeignKeyConstraint
	for _, text := range stmts {
		stmt, err := sqlparser.Parse(text)
		if err != nil {
			return fmt.Errorf("%w in %.60q", err, strings.TrimSpace(text))
		}
		if alter, ok := stmt.(*sqlparser.AlterTable); ok {
			got, err := foreignKeys(alter)
			if err != nil {
				return err
			}
			fks = append(fks, got...)
			continue
		}
		if err := db.exec(ctx, text); err != nil {
			return fmt.Errorf("%w in %.60q", err, strings.TrimSpace(text))
		}
		if ddl, ok := stmt.(*sqlparser.DDL); ok && ddl.Action == sqlparser.CreateStr && ddl.TableSpec != nil {
			for _, opt := range ddl.TableSpec.TableOpts {
				if strings.EqualFold(opt.Name, "comment") {
					if err := setTableComment(mdb, ddl.Table.Name.String(), opt.Value); err != nil {
						return err
					}
				}
			}
		}
	}
	tables := mdb.Tables()
	for _, fk := range fks {
		for _, ref := range []struct {
			table   string
			columns []string
		}{{fk.Table, fk.Columns}, {fk.ParentTable, fk.ParentColumns}} {
			t, ok := tables[ref.table]
			if !ok {
				return fmt.Errorf("foreign key %s: table %s not found", fk.Name, ref.table)
			}
			for _, col := range ref.columns {
				if !t.Schema().Contains(col, ref.table) {
					return fmt.Errorf("foreign key %s: column %s.%s not found", fk.Name, ref.table, col)
				}
			}
		}
		mdb.GetForeignKeyCollection().AddFK(fk)
	}
	return nil
}

// foreignKeys returns the constraints of an ALTER TABLE that only adds foreign keys.
func foreignKeys(alter *sqlparser.AlterTable) ([]sql.ForeignKeyConstraint, error) {
	table := alter.Table.Name.String()
	var fks []sql.ForeignKeyConstraint
	for _, ddl := range alter.Statements {
		if ddl.ConstraintAction != sqlparser.AddStr || ddl.TableSpec == nil || len(ddl.TableSpec.Constraints) == 0 {
			return nil, fmt.Errorf("ALTER TABLE %s: only ADD CONSTRAINT ... FOREIGN KEY is supported", table)
		}
		for _, c := range ddl.TableSpec.Constraints {
			def, ok := c.Details.(*sqlparser.ForeignKeyDefinition)
			if !ok || c.Name == "" || def.OnDelete != sqlparser.DefaultAction || def.OnUpdate != sqlparser.DefaultAction {
				return nil, fmt.Errorf("ALTER TABLE %s: only named foreign keys without ON DELETE/ON UPDATE are supported", table)
			}
			fks = append(fks, sql.ForeignKeyConstraint{
				Name:           c.Name,
				Database:       DatabaseName,
				Table:          table,
				Columns:        columnNames(def.Source),
				ParentDatabase: DatabaseName,
				ParentTable:    def.ReferencedTable.Name.String(),
				ParentColumns:  columnNames(def.ReferencedColumns),
				OnUpdate:       sql.ForeignKeyReferentialAction_DefaultAction,
				OnDelete:       sql.ForeignKeyReferentialAction_DefaultAction,
				IsResolved:     true,
			})
		}
	}
	return fks, nil
}

func columnNames(cols sqlparser.Columns) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.String()
	}
	return names
}

// setTableComment replaces the empty table name of mdb by the same table with a comment.
func setTableComment(mdb *memory.Database, name, comment string) error {
	t, ok := mdb.Tables()[name].(*memory.Table)
	if !ok {
		return fmt.Errorf("table %s was not created", name)
	}
	replacement := memory.NewPartitionedTableWithCollation(mdb.BaseDatabase, name, t.PrimaryKeySchema(),
		mdb.GetForeignKeyCollection(), 1, t.Collation(), comment)
	mdb.AddTable(name, replacement)
	return nil
}
