// Command testsummary reads `go test -json` on stdin and prints what plain `go test` would (each package's closing
// line, build errors and the output of failing tests), then fails when a test skipped because of the Terraform
// version: scripts/testacc-terraform-latest runs the suite on the newest Terraform, where nothing may skip for that.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// versionSkip is how terraform-plugin-testing's tfversion checks and this repository's tests word a skip for the
// Terraform version.
var versionSkip = regexp.MustCompile(`is below minimum version|needs Terraform or OpenTofu [0-9.]+ or later|needs Terraform [0-9.]+`)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	skips, err := summarise(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	if len(skips) > 0 {
		fmt.Fprintln(os.Stderr, "error: tests skipped because of the Terraform version, on the Terraform that must run them all:")
		for _, s := range skips {
			fmt.Fprintln(os.Stderr, "  "+s)
		}
		os.Exit(1)
	}
}

// summarise copies plain go test output to w and returns the tests skipped for the Terraform version.
func summarise(r io.Reader, w io.Writer) ([]string, error) {
	output := map[string][]string{} // package + test -> its output so far
	var skips []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// go test prints build failures as plain text before any JSON.
			fmt.Fprintln(w, sc.Text())
			continue
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "build-output":
			fmt.Fprint(w, e.Output)
		case e.Test == "" && e.Action == "output":
			if e.Output != "PASS\n" && !strings.HasPrefix(e.Output, "=== ") {
				fmt.Fprint(w, e.Output)
			}
		case e.Action == "output":
			if strings.HasPrefix(e.Output, "=== ") {
				continue
			}
			output[key] = append(output[key], e.Output)
		case e.Action == "fail":
			fmt.Fprint(w, strings.Join(output[key], ""))
			delete(output, key)
		case e.Action == "skip":
			text := strings.Join(output[key], "")
			if versionSkip.MatchString(text) {
				skips = append(skips, e.Package+" "+e.Test+": "+strings.TrimSpace(lastLine(text)))
			}
			delete(output, key)
		case e.Action == "pass":
			delete(output, key)
		}
	}
	return skips, sc.Err()
}

// lastLine is the skip's reason: the last line of the test's output that says something.
func lastLine(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if versionSkip.MatchString(lines[i]) {
			return lines[i]
		}
	}
	return lines[len(lines)-1]
}
