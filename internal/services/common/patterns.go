package common

import (
	"fmt"
	"regexp"
	"strings"
)

// The forms of the IDs and hashes the resources take, in either letter case.
var (
	GUIDPattern       = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
	ThumbprintPattern = regexp.MustCompile(`^[0-9A-Fa-f]{40}$`) // a certificate's SHA-1 thumbprint
	SHA256Pattern     = regexp.MustCompile(`^[0-9A-Fa-f]{64}$`) // a file's SHA-256
)

// QuoteShort quotes a user's value for a diagnostic, cut to a readable length (a value can be kilobytes long).
func QuoteShort(s string) string {
	const limit = 100
	if len(s) > limit {
		return fmt.Sprintf("%q… (%d characters)", s[:limit], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// GUIDProblem says what is wrong with an object ID, or "" when it is a GUID (any case).
func GUIDProblem(s string) string {
	switch {
	case s == "":
		return "is empty"
	case !GUIDPattern.MatchString(s):
		return "is not a GUID (got " + QuoteShort(s) + ")"
	}
	return ""
}

// HexProblem says what is wrong with a hex digest of digits characters matching pattern, or "" when it is one.
func HexProblem(s string, pattern *regexp.Regexp, digits int) string {
	switch {
	case s == "":
		return "is empty"
	case !pattern.MatchString(s):
		return fmt.Sprintf("is not %d hex digits (got %s)", digits, QuoteShort(s))
	}
	return ""
}

// GUIDPart is an import-ID part holding an object ID: Graph writes GUIDs lower case and matches them in any case.
func GUIDPart(name, label string) IDPart {
	return IDPart{Name: name, Label: label, Check: func(s string) (string, string) {
		if p := GUIDProblem(s); p != "" {
			return "", p
		}
		return strings.ToLower(s), ""
	}}
}

// ThumbprintPart is an import-ID part holding a certificate's SHA-1 thumbprint, kept upper case as Graph lists it.
func ThumbprintPart(name, label string) IDPart {
	return IDPart{Name: name, Label: label, Check: func(s string) (string, string) {
		if p := HexProblem(s, ThumbprintPattern, 40); p != "" {
			return "", p
		}
		return strings.ToUpper(s), ""
	}}
}

// SHA256Part is an import-ID part holding a file's SHA-256, kept upper case.
func SHA256Part(name, label string) IDPart {
	return IDPart{Name: name, Label: label, Check: func(s string) (string, string) {
		if p := HexProblem(s, SHA256Pattern, 64); p != "" {
			return "", p
		}
		return strings.ToUpper(s), ""
	}}
}
