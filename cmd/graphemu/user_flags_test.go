package main

import (
	"bytes"
	"flag"
	"io"
	"regexp"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

func TestUserFlagCreatesUsersAndPrintsTheirIDs(t *testing.T) {
	fs := flag.NewFlagSet("graphemu", flag.ContinueOnError)
	apply := userFlags(fs)
	if err := fs.Parse([]string{"-user", "bob@contoso.com", "-user", "alice@contoso.com"}); err != nil {
		t.Fatal(err)
	}
	emu := graphemu.New(graphemu.Options{})
	var out bytes.Buffer
	apply(emu, &out)
	re := regexp.MustCompile(`user_id=([0-9a-f-]{36}) user_principal_name=bob@contoso.com\n`)
	m := re.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("output %q", out.String())
	}
	if u, ok := emu.User(m[1]); !ok || u.UserPrincipalName != "bob@contoso.com" {
		t.Errorf("user %s: %+v %v", m[1], u, ok)
	}
	if len(emu.Users()) != 2 {
		t.Errorf("users %+v", emu.Users())
	}
	bad := flag.NewFlagSet("graphemu", flag.ContinueOnError)
	bad.SetOutput(io.Discard)
	userFlags(bad)
	if err := bad.Parse([]string{"-user", "bob"}); err == nil {
		t.Error("-user bob was accepted")
	}
}
