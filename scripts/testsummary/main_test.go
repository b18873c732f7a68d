package main

import (
	"strings"
	"testing"
)

// A stream like `go test -json` prints for one package: a pass, a failure, a skip for the emulator and a skip for
// the Terraform version.
const stream = `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestOK"}
{"Action":"output","Package":"p","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"output","Package":"p","Test":"TestOK","Output":"    ok_test.go:9: chatter\n"}
{"Action":"output","Package":"p","Test":"TestOK","Output":"--- PASS: TestOK (0.01s)\n"}
{"Action":"pass","Package":"p","Test":"TestOK"}
{"Action":"output","Package":"p","Test":"TestBad","Output":"=== RUN   TestBad\n"}
{"Action":"output","Package":"p","Test":"TestBad","Output":"    bad_test.go:3: got 1, want 2\n"}
{"Action":"output","Package":"p","Test":"TestBad","Output":"--- FAIL: TestBad (0.02s)\n"}
{"Action":"fail","Package":"p","Test":"TestBad"}
{"Action":"output","Package":"p","Test":"TestLive","Output":"    live_test.go:5: needs the Graph emulator's controls\n"}
{"Action":"skip","Package":"p","Test":"TestLive"}
{"Action":"output","Package":"p","Test":"TestIdentity","Output":"    identity_test.go:30: Terraform CLI version 1.11.4 is below minimum version 1.12.0: skipping test\n"}
{"Action":"output","Package":"p","Test":"TestIdentity","Output":"--- SKIP: TestIdentity (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestIdentity"}
{"Action":"output","Package":"p","Output":"PASS\n"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.05s\n"}
{"Action":"fail","Package":"p"}
`

func TestSummarise(t *testing.T) {
	var out strings.Builder
	skips, err := summarise(strings.NewReader(stream), &out)
	if err != nil {
		t.Fatal(err)
	}
	want := "    bad_test.go:3: got 1, want 2\n--- FAIL: TestBad (0.02s)\nFAIL\tp\t0.05s\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	if len(skips) != 1 || !strings.Contains(skips[0], "p TestIdentity: ") || !strings.Contains(skips[0], "below minimum version 1.12.0") {
		t.Errorf("version skips %q, want TestIdentity's alone", skips)
	}
}
