package main

import (
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

func TestPKIFlagsTurnOnReplicaLagAndDroppedCreates(t *testing.T) {
	fs := flag.NewFlagSet("graphemu", flag.ContinueOnError)
	apply := pkiFlags(fs)
	if err := fs.Parse([]string{"-pki-replica-lag", "10s", "-pki-drop-create-answers", "1"}); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	emu := graphemu.New(graphemu.Options{Token: "t", Clock: clk})
	if err := apply(emu); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	const pkis = "/v1.0/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"
	send := func(method, path, body string) (*http.Response, error) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		return http.DefaultClient.Do(req)
	}
	if resp, err := send("POST", pkis, `{"displayName":"flags"}`); err == nil {
		resp.Body.Close()
		t.Fatalf("the first create was answered (%d), want a dropped answer", resp.StatusCode)
	}
	resp, err := send("GET", pkis, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), `"flags"`) {
		t.Errorf("the dropped create's PKI is listed during the replica lag: %s", b)
	}
	clk.Advance(10 * time.Second)
	resp, err = send("GET", pkis, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"flags"`) {
		t.Errorf("after the lag the PKI is not listed: %s", b)
	}

	fs = flag.NewFlagSet("graphemu", flag.ContinueOnError)
	apply = pkiFlags(fs)
	if err := fs.Parse([]string{"-pki-fail-jobs", "-1"}); err != nil {
		t.Fatal(err)
	}
	if err := apply(graphemu.New(graphemu.Options{})); err == nil {
		t.Error("a negative -pki-fail-jobs was accepted")
	}
}

func TestPKIHardDeleteFlag(t *testing.T) {
	for _, hard := range []bool{false, true} {
		fs := flag.NewFlagSet("graphemu", flag.ContinueOnError)
		apply := pkiFlags(fs)
		args := []string{}
		if hard {
			args = append(args, "-pki-hard-delete")
		}
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		emu := graphemu.New(graphemu.Options{Token: "t"})
		if err := apply(emu); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(emu)
		const pkis = "/v1.0/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"
		do := func(method, path, body string) *http.Response {
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer t")
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		resp := do("POST", pkis, `{"displayName":"flags"}`)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := strings.Split(strings.Split(string(b), `"id":"`)[1], `"`)[0]
		do("DELETE", pkis+"/"+id, "").Body.Close()
		resp = do("GET", "/v1.0/directory/deletedItems/"+id, "")
		resp.Body.Close()
		if want := map[bool]int{false: 200, true: 404}[hard]; resp.StatusCode != want {
			t.Errorf("-pki-hard-delete=%v: the deleted PKI answers %d in deleted items, want %d", hard, resp.StatusCode, want)
		}
		srv.Close()
	}
}
