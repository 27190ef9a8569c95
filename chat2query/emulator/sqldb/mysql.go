package sqldb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/server"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/vitess/go/mysql"
)

// MySQLServer serves a DB over the MySQL protocol, so that any MySQL client can query the
// emulated cluster. Every statement passes c2q's read-only guard (sqlmatch.CheckReadOnly)
// before the engine sees it, so no client can write data, read or write files on the host
// (LOAD_FILE, SELECT ... INTO DUMPFILE), take locks or sleep; a client may also USE a
// database, run plain transactions and set the few session variables drivers set on
// connecting (see settable). The engine itself is read-only too.
type MySQLServer struct {
	// Addr is the address listened on, e.g. "127.0.0.1:4000".
	Addr string

	srv       *server.Server
	done      chan struct{}
	closeOnce sync.Once
}

// ServeMySQL listens on addr (e.g. "127.0.0.1:0") and serves db to clients that log in as user
// with password (mysql_native_password; the server also negotiates a switch for clients that
// start with caching_sha2_password). Close stops it.
//
// The sessions log to a logger that discards everything, and queries are never logged. Some
// lines cannot be silenced without changing the whole process's logging, which a library must
// not do: go-mysql-server's server logs its start and stop, each connection opened and closed
// (Info) and that secure_file_priv is empty (Warn) through logrus's standard logger, and vitess
// logs connection errors through the standard library's log package. A program that serves
// MySQL and does not want those lines sets the level of logrus's standard logger itself.
func (db *DB) ServeMySQL(addr, user, password string) (*MySQLServer, error) {
	if user == "" {
		return nil, errors.New("sqldb: ServeMySQL needs a user name")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sqldb: %w", err)
	}
	users := map[string][]*mysql.AuthServerStaticEntry{user: {{Password: password}}}
	cfgJSON, err := json.Marshal(users)
	if err != nil {
		ln.Close()
		return nil, err
	}
	// The engine's own user table stays disabled (enabling it would demand privileges of
	// every query, the emulator's included); a static table checks the one login instead.
	auth := mysql.NewAuthServerStatic("", string(cfgJSON), 0)
	cfg := server.Config{
		Protocol: "tcp",
		Address:  ln.Addr().String(),
		Listener: ln,
		Version:  "8.0.11-TiDB-v7.5.2-serverless (c2q emulator)",
		ProtocolListenerFactory: func(cfg server.Config, lc mysql.ListenerConfig, sel server.ServerEventListener) (server.ProtocolListener, error) {
			lc.AuthServer = auth
			return server.MySQLProtocolListenerFactory(cfg, lc, sel)
		},
	}
	// Every statement passes the read-only guard before the engine sees it (guardedHandler);
	// one statement per query, so the engine never finds a second one the guard did not see.
	cfg.DisableClientMultiStatements = true
	cfg.MaxLoggedQueryLen = -1 // never log a query
	guard := func(h mysql.Handler) (mysql.Handler, error) { return guardedHandler{h}, nil }
	sessions := memory.NewSessionBuilder(db.provider)
	quietSessions := func(ctx context.Context, conn *mysql.Conn, addr string) (sql.Session, error) {
		s, err := sessions(ctx, conn, addr)
		if err == nil {
			s.SetLogger(quietLogger)
		}
		return s, err
	}
	srv, err := server.NewServerWithHandler(cfg, db.engine, sql.NewContext, quietSessions, nil, guard)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("sqldb: MySQL server: %w", err)
	}
	m := &MySQLServer{Addr: ln.Addr().String(), srv: srv, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		srv.Start()
	}()
	return m, nil
}

// Close stops accepting connections and closes the open ones. It is safe to call twice.
func (m *MySQLServer) Close() error {
	m.closeOnce.Do(func() {
		m.srv.Close()
		<-m.done
	})
	return nil
}
