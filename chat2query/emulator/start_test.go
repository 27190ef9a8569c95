package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/icholy/digest"
)

func TestStart(t *testing.T) {
	pub, priv := emulator.NewKeys()
	run, err := emulator.Start(context.Background(), "127.0.0.1:0", emulator.Options{
		PublicKey: pub, PrivateKey: priv, DB: testDB(), Book: testBook(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if want := "http://" + run.Addr + "/api/v1beta/app/chat2query-emulator/endpoint"; run.URL != want {
		t.Errorf("URL = %q, want %q", run.URL, want)
	}
	client := &http.Client{Transport: &digest.Transport{Username: pub, Password: priv}}
	res, err := client.Post(run.URL+"/v3/sessions", "application/json",
		strings.NewReader(`{"cluster_id":"10140100115280519574","database":"sp500insight"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}

	if err := run.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := run.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := http.Get(run.URL + "/v2/jobs/x"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestStartStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	run, err := emulator.Start(ctx, "127.0.0.1:0", emulator.Options{PublicKey: "p", PrivateKey: "k", DB: testDB(), Book: testBook()})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	// Shutdown runs on the AfterFunc goroutine; poll briefly for it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := http.Get(run.URL + "/v2/jobs/x")
		if err != nil {
			break
		}
		res.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still up after its context was cancelled")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := run.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
}

func TestStartBadAddr(t *testing.T) {
	if _, err := emulator.Start(context.Background(), "256.0.0.1:0", emulator.Options{PublicKey: "p", PrivateKey: "k", DB: testDB(), Book: testBook()}); err == nil {
		t.Error("want an error for an invalid address")
	}
}

// TestCurlDigest is the documented way to call the API (§2):
// curl --digest --user PUBLIC_KEY:PRIVATE_KEY.
func TestCurlDigest(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	pub, priv := emulator.NewKeys()
	run, err := emulator.Start(context.Background(), "127.0.0.1:0", emulator.Options{PublicKey: pub, PrivateKey: priv, DB: testDB(), Book: testBook()})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	do := func(user string) (int, map[string]any) {
		t.Helper()
		out, err := exec.Command(curl, "-sS", "--digest", "--user", user,
			"-X", "POST", "-H", "content-type: application/json",
			"-d", `{"cluster_id":"10140100115280519574","database":"sp500insight","name":"curl"}`,
			"-w", "\n%{http_code}", run.URL+"/v3/sessions?x=1").Output()
		if err != nil {
			t.Fatalf("curl: %v", err)
		}
		i := strings.LastIndexByte(string(out), '\n')
		body, code := string(out[:i]), string(out[i+1:])
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("curl body %q: %v", body, err)
		}
		switch code {
		case "200":
			return 200, m
		case "401":
			return 401, m
		}
		t.Fatalf("curl status %s: %v", code, m)
		return 0, nil
	}
	if code, m := do(pub + ":" + priv); code != 200 || m["result"].(map[string]any)["meta"].(map[string]any)["name"] != "curl" {
		t.Errorf("curl --digest: %d %v", code, m)
	}
	if code, _ := do(pub + ":wrong"); code != 401 {
		t.Errorf("curl --digest with a wrong key: %d", code)
	}
}

func TestNewKeys(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 50 {
		pub, priv := emulator.NewKeys()
		if !regexp.MustCompile(`^[A-Z0-9]{8}$`).MatchString(pub) {
			t.Errorf("public key %q", pub)
		}
		if !uuid.MatchString(priv) {
			t.Errorf("private key %q is not a v4 UUID", priv)
		}
		if seen[pub+priv] {
			t.Errorf("repeated key pair %s:%s", pub, priv)
		}
		seen[pub+priv] = true
	}
}
