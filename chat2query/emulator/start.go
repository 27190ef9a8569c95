package emulator

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/c2q/c2q/chat2query/emulator/sqldb"
)

// shutdownGrace is how long Close waits for in-flight requests.
const shutdownGrace = 5 * time.Second

// Running is an emulator listening on a real socket, for the CLI's -emulator
// flag and `c2q serve`.
type Running struct {
	// URL is the base URL a client is configured with: origin plus
	// /api/v1beta/app/{app_id}/endpoint, without a trailing slash.
	URL    string
	Addr   string // the address actually listened on, e.g. "127.0.0.1:41237"
	Server *Server
	// MySQLAddr is where the database is served over the MySQL protocol
	// (Options.MySQLAddr), "" when it is not; DSN is a go-sql-driver/mysql
	// data source name for it: the API key pair as user and password, the
	// sample database (or the first one) as the default database.
	MySQLAddr string
	DSN       string

	mysql *sqldb.MySQLServer

	hs        *http.Server
	served    chan error
	stop      func() bool // detaches the ctx watcher
	closeOnce sync.Once
	closeErr  error
}

// Start builds a Server from opts and serves it on addr (e.g.
// "127.0.0.1:0" for a free port). Cancelling ctx shuts it down like Close.
func Start(ctx context.Context, addr string, opts Options) (*Running, error) {
	srv, err := newServer(ctx, opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("emulator: %w", err)
	}
	var my *sqldb.MySQLServer
	if opts.MySQLAddr != "" {
		db, ok := srv.opts.DB.(*sqldb.DB)
		if !ok {
			ln.Close()
			srv.Close()
			return nil, errors.New("emulator: MySQLAddr needs the DB to be a *sqldb.DB")
		}
		if my, err = db.ServeMySQL(opts.MySQLAddr, opts.PublicKey, opts.PrivateKey); err != nil {
			ln.Close()
			srv.Close()
			return nil, fmt.Errorf("emulator: MySQL endpoint: %w", err)
		}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	r := &Running{
		URL:    "http://" + dialable(ln.Addr()) + srv.BasePath(),
		Addr:   ln.Addr().String(),
		Server: srv,
		hs:     hs,
		served: make(chan error, 1),
		mysql:  my,
	}
	if my != nil {
		r.MySQLAddr = my.Addr
		r.DSN = dsn(opts.PublicKey, opts.PrivateKey, dialableString(my.Addr), defaultDatabase(srv.opts.DB))
	}
	go func() { r.served <- hs.Serve(ln) }()
	r.stop = context.AfterFunc(ctx, func() { r.Close() })
	return r, nil
}

// Close stops accepting connections, waits up to a few seconds for in-flight
// requests before cutting them off, then closes the Server. It is safe to
// call twice.
func (r *Running) Close() error {
	r.closeOnce.Do(func() {
		r.stop()
		r.Server.faults.release() // hanging requests would hold Shutdown up
		if r.mysql != nil {
			r.mysql.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := r.hs.Shutdown(ctx); err != nil {
			r.hs.Close()
			r.closeErr = fmt.Errorf("emulator: shutdown: %w", err)
		}
		if err := <-r.served; err != nil && !errors.Is(err, http.ErrServerClosed) && r.closeErr == nil {
			r.closeErr = fmt.Errorf("emulator: %w", err)
		}
		if err := r.Server.Close(); err != nil && r.closeErr == nil {
			r.closeErr = fmt.Errorf("emulator: closing the database: %w", err)
		}
	})
	return r.closeErr
}

// dialable turns a listener address into one a client can dial: a wildcard
// listen address (":0", "[::]:0") is reached through loopback.
func dialable(a net.Addr) string { return dialableString(a.String()) }

func dialableString(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// NewKeys returns a random API key pair shaped like the real service's: an
// 8-character upper-case alphanumeric public key and a UUID (version 4)
// private key.
func NewKeys() (pub, priv string) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	p := make([]byte, 0, 8)
	var b [1]byte
	for len(p) < 8 {
		rand.Read(b[:])
		// Rejection sampling keeps every character equally likely.
		if int(b[0]) < 256-256%len(alphabet) {
			p = append(p, alphabet[int(b[0])%len(alphabet)])
		}
	}
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return string(p), fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// dsn is a go-sql-driver/mysql data source name (the driver takes the
// password up to the last @, so a generated key needs no escaping).
func dsn(user, password, addr, database string) string {
	return user + ":" + password + "@tcp(" + addr + ")/" + database
}

// defaultDatabase is the database a MySQL client should start in: the
// sample database if it is there, else the first.
func defaultDatabase(q Querier) string {
	dbs := q.Databases()
	for _, d := range dbs {
		if strings.EqualFold(d, sqldb.DatabaseName) {
			return d
		}
	}
	if len(dbs) > 0 {
		return dbs[0]
	}
	return ""
}

// IsLoopback reports whether a listen address (host:port) only accepts
// connections from this machine: a loopback IP or "localhost". An empty
// host (":8080") listens on every interface, so it is not.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
