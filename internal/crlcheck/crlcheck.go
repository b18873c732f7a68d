// Package crlcheck checks a certificate authority's CRL as Microsoft Entra uses it with CRL validation: downloaded
// over http within 10 seconds, at most 20 MB (45 MB in US Government clouds), current, signed by the CA and carrying
// an authority key identifier that matches the CA's subject key identifier. No Terraform here.
package crlcheck

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// Entra's limits for downloading a CRL.
const (
	MaxSize             = 20 << 20
	MaxSizeUSGovernment = 45 << 20
	Timeout             = 10 * time.Second
)

// MaxSizeFor is Entra's CRL size limit in the cloud environment (the provider's canonical names).
func MaxSizeFor(environment string) int64 {
	if strings.HasPrefix(environment, "usgovernment") {
		return MaxSizeUSGovernment
	}
	return MaxSize
}

// SizeText words a size limit ("20 MB").
func SizeText(limit int64) string {
	if limit%(1<<20) != 0 {
		return fmt.Sprintf("%d bytes", limit)
	}
	return fmt.Sprintf("%d MB", limit>>20)
}

// Fetched is a downloaded and parsed CRL.
type Fetched struct {
	CRL  *pkcs.CRL
	Size int
}

// Fetch downloads rawURL under policy within Entra's time limit and limit bytes, and parses it (DER or PEM).
// Errors: those of download.Get, or pkcs.ErrNotCRL.
func Fetch(ctx context.Context, policy download.Policy, rawURL string, limit int64) (*Fetched, error) {
	data, err := download.Get(ctx, policy, rawURL, limit, Timeout)
	if err != nil {
		return nil, err
	}
	crl, err := pkcs.ParseCRL(data)
	if err != nil {
		return nil, err
	}
	return &Fetched{CRL: crl, Size: len(data)}, nil
}

// CA is the certificate authority a CRL belongs to.
type CA struct {
	Subject, Thumbprint, SKI string
	DER                      []byte // nil when unknown: the signature is not checked
	CRLURL                   string
}

// Problem is one reason Entra would fail sign-ins with the CA's certificates: what is wrong, and what Entra does.
type Problem struct {
	What, Entra string
	// Download is set when the download failed where Terraform runs, which may not be where Entra fetches from.
	Download bool
}

// Unreachable words why Entra could not download rawURL at all, without connecting anywhere ("" when it could try):
// Entra downloads CRLs over http only, and never from private, link-local or other non-public addresses (those
// policy refuses).
func Unreachable(policy download.Policy, rawURL string) string {
	u, err := url.Parse(rawURL)
	switch {
	case err != nil || u.Host == "":
		return "it is not an absolute URL"
	case strings.EqualFold(u.Scheme, "https"):
		return "it is an https URL, and Entra downloads CRLs over http only"
	case !strings.EqualFold(u.Scheme, "http"):
		return fmt.Sprintf("its scheme is %q, and Entra downloads CRLs over http only", u.Scheme)
	}
	if refused := policy.CheckLiteral(u); refused != nil {
		return fmt.Sprintf("its host %s is %s, which Entra cannot reach from the internet", refused.Addr, refused.Reason)
	}
	return ""
}

// what Entra does with a CRL it cannot use while CRL validation is enabled.
const failsSignIns = "While CRL validation is enabled, Entra fails every sign-in with certificates this CA issued, and there is no way to make it fetch the CRL again sooner."

// Check is the pre-flight of one CA's CRL: nothing is downloaded from a URL Unreachable refuses; otherwise the CRL is
// downloaded under policy as Entra would and checked. It returns the problems found (none when Entra can use the CRL).
func Check(ctx context.Context, policy download.Policy, ca CA, limit int64, now time.Time) []Problem {
	if why := Unreachable(policy, ca.CRLURL); why != "" {
		return []Problem{{What: "Entra cannot download the CRL: " + why + ".", Entra: failsSignIns}}
	}
	f, err := Fetch(ctx, policy, ca.CRLURL, limit)
	if err != nil {
		return []Problem{fetchProblem(err, limit)}
	}
	return Assess(f.CRL, ca, now)
}

func fetchProblem(err error, limit int64) Problem {
	var refused *download.RefusedAddressError
	var tooLarge *download.TooLargeError
	var status *download.StatusError
	switch {
	case errors.As(err, &refused):
		return Problem{What: fmt.Sprintf("Entra cannot download the CRL: %s (no request was sent to it).", err), Entra: failsSignIns}
	case errors.As(err, &tooLarge):
		return Problem{What: fmt.Sprintf("The CRL is larger than %s, Entra's limit.", SizeText(limit)),
			Entra: "Entra stops downloading it. " + failsSignIns + " Partition the CRL, or publish a delta CRL."}
	case errors.As(err, &status):
		return Problem{What: "The CRL could not be downloaded: " + err.Error() + ".", Entra: failsSignIns, Download: true}
	case errors.Is(err, pkcs.ErrNotCRL):
		return Problem{What: "The file at the URL is no CRL: " + err.Error() + ".", Entra: failsSignIns}
	case errors.Is(err, context.DeadlineExceeded):
		return Problem{What: fmt.Sprintf("The CRL did not download within %s, Entra's limit.", Timeout), Entra: failsSignIns, Download: true}
	}
	return Problem{What: "The CRL could not be downloaded: " + err.Error() + ".", Entra: failsSignIns, Download: true}
}

// Assess checks a downloaded CRL against its CA at now: current, with an authority key identifier that is the CA's
// subject key identifier, and signed by the CA (when its certificate is known).
func Assess(crl *pkcs.CRL, ca CA, now time.Time) []Problem {
	var out []Problem
	if crl.ExpiredAt(now) {
		out = append(out, Problem{What: fmt.Sprintf("The CRL expired: its nextUpdate is %s.", crl.NextUpdate.UTC().Format(time.RFC3339)),
			Entra: failsSignIns + " Publish a current CRL."})
	}
	switch {
	case crl.AuthorityKeyIdentifier == "":
		out = append(out, Problem{What: "The CRL carries no authority key identifier.",
			Entra: "Entra requires one that matches the CA's subject key identifier and rejects the CRL. " + failsSignIns})
	case ca.SKI != "" && !strings.EqualFold(crl.AuthorityKeyIdentifier, ca.SKI):
		out = append(out, Problem{What: fmt.Sprintf("The CRL's authority key identifier %s is not the CA's subject key identifier %s: it is another CA's CRL.",
			crl.AuthorityKeyIdentifier, strings.ToUpper(ca.SKI)), Entra: "Entra rejects it. " + failsSignIns})
	}
	if ca.DER != nil {
		if err := crl.SignedBy(ca.DER); err != nil {
			out = append(out, Problem{What: fmt.Sprintf("The CRL is not signed by this CA (%s).", strings.TrimPrefix(err.Error(), "x509: ")),
				Entra: "Entra rejects it. " + failsSignIns})
		}
	}
	return out
}
