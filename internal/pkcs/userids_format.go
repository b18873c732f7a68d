package pkcs

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// The prefixes of Entra's certificateUserIds formats (its "Supported patterns for certificate user IDs" table). Entra
// matches them case-sensitively. UserIDsOf builds values with them and CheckCertificateUserIDs checks values
// against them, so what the certificate_user_ids function returns is what the check accepts.
const (
	userIDPrefixPrincipalName = "X509:<PN>"
	userIDPrefixRFC822Name    = "X509:<RFC822>"
	userIDPrefixIssuer        = "X509:<I>"
	userIDPrefixSubject       = "X509:<S>"
	userIDPrefixSKI           = "X509:<SKI>"
	userIDPrefixSHA1PublicKey = "X509:<SHA1-PUKEY>"
	userIDMarkSubject         = "<S>"  // after the issuer in IssuerAndSubject
	userIDMarkSerialNumber    = "<SR>" // after the issuer in IssuerAndSerialNumber
)

// Entra's limits on a user's certificateUserIds.
const (
	MaxCertificateUserIDs      = 10
	MaxCertificateUserIDLength = 1024 // characters
)

// CertificateUserIDForms lists the seven forms, as a diagnostic shows them.
const CertificateUserIDForms = "X509:<PN>{user principal name}, X509:<RFC822>{e-mail}, X509:<I>{issuer DN}<S>{subject DN}, " +
	"X509:<S>{subject DN}, X509:<SKI>{hex}, X509:<SHA1-PUKEY>{40 hex digits} or X509:<I>{issuer DN}<SR>{serial number in hex}"

// certificateUserIDFormat is one row of Entra's table.
type certificateUserIDFormat struct {
	Field  string // the certificate mapping field, as the CBA policy's bindings name it
	Prefix string
	Form   string // the expected form, for diagnostics
}

// certificateUserIDFormats: longer prefixes first, so X509:<SKI> and X509:<SHA1-PUKEY> are not read as X509:<S>.
var certificateUserIDFormats = []certificateUserIDFormat{
	{"SHA1PublicKey", userIDPrefixSHA1PublicKey, "X509:<SHA1-PUKEY>{the certificate's SHA-1 thumbprint: 40 hex digits}"},
	{"RFC822Name", userIDPrefixRFC822Name, "X509:<RFC822>{the certificate's SAN e-mail address}"},
	{"SKI", userIDPrefixSKI, "X509:<SKI>{the certificate's subject key identifier in hex}"},
	{"PrincipalName", userIDPrefixPrincipalName, "X509:<PN>{the certificate's SAN user principal name}"},
	{"IssuerAndSubject or IssuerAndSerialNumber", userIDPrefixIssuer,
		"X509:<I>{issuer DN}<S>{subject DN} or X509:<I>{issuer DN}<SR>{serial number in hex}"},
	{"Subject", userIDPrefixSubject, "X509:<S>{the certificate's subject DN}"},
}

var hexDigits = regexp.MustCompile(`^[0-9A-Fa-f]+$`)

// CertificateUserIDProblem is one value that Entra would store but no certificate binding can match, or that Graph
// refuses. Value is the offending value ("" for a problem of the whole list).
type CertificateUserIDProblem struct {
	Value   string
	Problem string // what is wrong and the expected form, as a sentence
}

func (p CertificateUserIDProblem) Error() string { return p.Problem }

// CheckCertificateUserIDs checks a user's whole list against Entra's table of formats and limits: each value in
// one of the seven forms with the prefix's exact letter case, at most 1024 characters, at most 10 values, and no
// two values that differ only in letter case. Problems come in the order of values (sorted), then the list's.
func CheckCertificateUserIDs(values []string) []CertificateUserIDProblem {
	var out []CertificateUserIDProblem
	sorted := append([]string(nil), values...)
	sort.Strings(sorted)
	for _, v := range sorted {
		if p := CheckCertificateUserID(v); p != "" {
			out = append(out, CertificateUserIDProblem{Value: v, Problem: p})
		}
	}
	seen := map[string]string{}
	for _, v := range sorted {
		k := strings.ToLower(v)
		if first, ok := seen[k]; ok {
			out = append(out, CertificateUserIDProblem{Value: v, Problem: fmt.Sprintf(
				"%q and %q differ only in letter case. They name the same certificate (hex digits, e-mail domains and DN "+
					"attribute names are not case-sensitive), and Entra may refuse the second as a duplicate. Keep one.", first, v)})
			continue
		}
		seen[k] = v
	}
	if len(values) > MaxCertificateUserIDs {
		out = append(out, CertificateUserIDProblem{Problem: fmt.Sprintf(
			"%d values: Entra holds at most %d certificateUserIds per user. Keep the values the CBA policy's username "+
				"bindings use, at most %d.", len(values), MaxCertificateUserIDs, MaxCertificateUserIDs)})
	}
	return out
}

// CheckCertificateUserID returns "" when v is in one of Entra's forms, else what is wrong, naming the value and the
// expected form.
func CheckCertificateUserID(v string) string {
	q := quoteValue(v)
	if v == "" {
		return "An empty value matches no certificate. Use one of " + CertificateUserIDForms + "."
	}
	if n := utf8.RuneCountInString(v); n > MaxCertificateUserIDLength {
		return fmt.Sprintf("%s is %d characters long: Entra accepts at most %d per value.", q, n, MaxCertificateUserIDLength)
	}
	if strings.TrimSpace(v) != v {
		return fmt.Sprintf("%s starts or ends with blanks: Entra compares values exactly, so no certificate would match it. Remove the blanks.", q)
	}
	for _, f := range certificateUserIDFormats {
		if strings.HasPrefix(v, f.Prefix) {
			return checkBody(q, f, v[len(f.Prefix):])
		}
		if len(v) >= len(f.Prefix) && strings.EqualFold(v[:len(f.Prefix)], f.Prefix) && !otherPrefixMatches(v, f) {
			return fmt.Sprintf("%s has the prefix %q, but Entra's prefixes are case-sensitive: write %s (%s).",
				q, v[:len(f.Prefix)], f.Prefix, f.Form)
		}
	}
	return fmt.Sprintf("%s is in none of Entra's certificateUserIds forms, so no certificate binding can match it. "+
		"Use one of %s (the certificate_user_ids function builds them from a certificate).", q, CertificateUserIDForms)
}

// otherPrefixMatches reports whether v starts exactly with another, shorter format's prefix (X509:<S> when f is
// X509:<SKI> and v is X509:<S>ki=...): then v is that format's, not a mis-cased f.
func otherPrefixMatches(v string, f certificateUserIDFormat) bool {
	for _, g := range certificateUserIDFormats {
		if g.Prefix != f.Prefix && strings.HasPrefix(v, g.Prefix) {
			return true
		}
	}
	return false
}

func checkBody(q string, f certificateUserIDFormat, body string) string {
	if body == "" {
		return fmt.Sprintf("%s has nothing after its prefix. Expected %s.", q, f.Form)
	}
	switch f.Prefix {
	case userIDPrefixSHA1PublicKey:
		if len(body) != 40 || !hexDigits.MatchString(body) {
			return fmt.Sprintf("%s: after X509:<SHA1-PUKEY> Entra expects the certificate's SHA-1 thumbprint, 40 hex digits "+
				"(the certificate_user_ids function's sha1_public_key), not %s.", q, quoteValue(body))
		}
	case userIDPrefixSKI:
		if !hexDigits.MatchString(body) || len(body)%2 != 0 {
			return fmt.Sprintf("%s: after X509:<SKI> Entra expects the certificate's subject key identifier in hex, two "+
				"digits per byte (the certificate_user_ids function's subject_key_identifier), not %s.", q, quoteValue(body))
		}
	case userIDPrefixIssuer:
		return checkIssuerForms(q, body)
	case userIDPrefixSubject:
		if !strings.Contains(body, "=") {
			return fmt.Sprintf("%s: after X509:<S> Entra expects the certificate's subject DN, such as "+
				"DC=com,DC=contoso,OU=UserAccounts,CN=mfatest, not %s.", q, quoteValue(body))
		}
	case userIDPrefixPrincipalName, userIDPrefixRFC822Name:
		// Entra's table allows non-routable names (bob@woodgrove) and any text: nothing more to check.
	}
	return ""
}

// checkIssuerForms checks the body of X509:<I>…: an issuer DN, then <S>{subject DN} or <SR>{hex serial}.
func checkIssuerForms(q, body string) string {
	const form = "X509:<I>{issuer DN}<S>{subject DN} (IssuerAndSubject) or X509:<I>{issuer DN}<SR>{serial number in hex} (IssuerAndSerialNumber)"
	s, sr := strings.Index(body, userIDMarkSubject), strings.Index(body, userIDMarkSerialNumber)
	if ls, lsr := strings.Index(strings.ToLower(body), "<s>"), strings.Index(strings.ToLower(body), "<sr>"); s < 0 && sr < 0 && (ls >= 0 || lsr >= 0) {
		return fmt.Sprintf("%s: the <S> and <SR> markers are case-sensitive. Expected %s.", q, form)
	}
	switch {
	case sr >= 0 && (s < 0 || sr < s):
		issuer, serial := body[:sr], body[sr+len(userIDMarkSerialNumber):]
		if !strings.Contains(issuer, "=") {
			return fmt.Sprintf("%s: the issuer before <SR> must be a DN such as DC=com,DC=contoso,CN=CONTOSO-DC-CA. Expected %s.", q, form)
		}
		if serial == "" || !hexDigits.MatchString(serial) {
			return fmt.Sprintf("%s: after <SR> Entra expects the certificate's serial number in hex (the certificate_user_ids "+
				"function's issuer_and_serial_number), not %s.", q, quoteValue(serial))
		}
	case s >= 0:
		issuer, subject := body[:s], body[s+len(userIDMarkSubject):]
		if !strings.Contains(issuer, "=") || !strings.Contains(subject, "=") {
			return fmt.Sprintf("%s: the issuer and the subject must both be DNs such as DC=com,DC=contoso,CN=CONTOSO-DC-CA. Expected %s.", q, form)
		}
	default:
		return fmt.Sprintf("%s has an issuer but neither <S>{subject DN} nor <SR>{serial number} after it. Expected %s.", q, form)
	}
	return ""
}

// quoteValue quotes v for a diagnostic, cut to 120 characters.
func quoteValue(v string) string {
	if r := []rune(v); len(r) > 120 {
		v = string(r[:120]) + "…"
	}
	return fmt.Sprintf("%q", v)
}
