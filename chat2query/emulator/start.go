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

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
)

// shutdownGrace is how long Close waits for in-flight requests.
const shutdownGrace = 5 * time.Second

// Running is an emulator listening on a real socket, for tests, the CLI's
// -emulator flag and `c2q serve`. Its String and GoString leave out the keys.
type Running struct {
	// URL is the base URL a client is configured with: origin plus
	// /api/v1beta/app/{app_id}/endpoint, without a trailing slash.
	URL  string
	Addr string // the address actually listened on, e.g. "127.0.0.1:41237"
	*Server
	// PublicKey and PrivateKey are the API key pair the emulator accepts:
	// Options' pair, or the one Start generated.
	PublicKey, PrivateKey string
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
// "127.0.0.1:0" for a free port), generating the key pair when opts has
// none. Cancelling ctx shuts it down like Close.
func Start(ctx context.Context, addr string, opts Options) (*Running, error) {
	if opts.PublicKey == "" && opts.PrivateKey == "" {
		opts.PublicKey, opts.PrivateKey = NewKeys()
	}
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
		URL:        "http://" + dialable(ln.Addr().String()) + srv.BasePath(),
		Addr:       ln.Addr().String(),
		Server:     srv,
		PublicKey:  opts.PublicKey,
		PrivateKey: opts.PrivateKey,
		hs:         hs,
		served:     make(chan error, 1),
		mysql:      my,
	}
	if my != nil {
		r.MySQLAddr = my.Addr
		r.DSN = dsn(opts.PublicKey, opts.PrivateKey, dialable(my.Addr), defaultDatabase(srv.DB().Databases()))
	}
	go func() { r.served <- hs.Serve(ln) }()
	r.stop = context.AfterFunc(ctx, func() { r.Close() })
	return r, nil
}

func (r *Running) String() string   { return "emulator.Running(" + r.URL + ")" }
func (r *Running) GoString() string { return r.String() }

// Description is what a running emulator serves, for a banner.
type Description struct {
	Databases       []string     // the databases served, sorted
	DefaultDatabase string       // the sample database when it is served, else the first
	ClusterID       string       // the one cluster served
	Latency         Distribution // how long jobs take
	Limits          Limits
	Faults          Faults
	// MySQLCommand is a mysql command line that opens the default
	// database on the MySQL endpoint, the keys as user and password; ""
	// when there is no endpoint.
	MySQLCommand string
}

// Describe says what the emulator serves.
func (r *Running) Describe() Description {
	o := r.Server.opts
	d := Description{Databases: o.DB.Databases(), ClusterID: o.ClusterID, Latency: o.LatencyDist, Limits: o.Limits, Faults: o.Faults}
	d.DefaultDatabase = defaultDatabase(d.Databases)
	if r.MySQLAddr != "" {
		host, port, _ := net.SplitHostPort(dialable(r.MySQLAddr))
		d.MySQLCommand = fmt.Sprintf("mysql --host %s --port %s --user %s --password=%s %s", host, port, r.PublicKey, r.PrivateKey, d.DefaultDatabase)
	}
	return d
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

// dialable turns a listen address into one a client can dial: a wildcard
// listen address (":0", "[::]:0") is reached through loopback.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
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
// sample database if it is among dbs, else the first.
func defaultDatabase(dbs []string) string {
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
// connections from this machine: its host is loopback by
// chat2query.IsLoopbackHost. An empty host (":8080") listens on every
// interface, so it is not.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && chat2query.IsLoopbackHost(host)
}
