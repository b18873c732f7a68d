package pki

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// downloadTimeout bounds one download of upload_url.
const downloadTimeout = 60 * time.Second

// bundle is a downloaded .p7b whose hash matched sha256_file_hash.
type bundle struct {
	SHA256 string // uppercase hex
	CAs    []pkcs.CertificateAuthority
}

// checkUploadURL reports why raw cannot be an upload_url, or "" when it can.
func checkUploadURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "The value is not a URL. Use a full URL such as https://pki.contoso.com/cba/contoso.p7b."
	}
	shown := safeURL(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		scheme := u.Scheme
		if scheme == "" {
			scheme = "(none)"
		}
		return fmt.Sprintf("%q has the scheme %s; Microsoft Graph downloads the file itself and accepts only "+
			"http:// and https:// URLs. Publish the .p7b on a web server Graph can reach and use that URL.", shown, scheme)
	}
	if u.Host == "" {
		return fmt.Sprintf("%q has no host name. Use a full URL such as https://pki.contoso.com/cba/contoso.p7b.", shown)
	}
	return ""
}

// fetchBundle downloads upload_url under policy, checks it against sha256_file_hash and parses its certificates.
// Every failure is a *detailedError naming the attribute to fix.
func fetchBundle(ctx context.Context, policy download.Policy, rawURL, wantHash string) (*bundle, error) {
	return fetchBundleFrom(ctx, nil, policy, "upload_url", rawURL, wantHash)
}

// fetchBundleFrom is fetchBundle for the URL of attribute attr (upload_url or upload_url_wo), which its
// diagnostics name; c's cache parses each file once per process (nil c: every time).
func fetchBundleFrom(ctx context.Context, c *clients.Client, policy download.Policy, attr, rawURL, wantHash string) (*bundle, error) {
	urlAttr, hashAttr := path.Root(attr), path.Root("sha256_file_hash")
	if msg := checkUploadURL(rawURL); msg != "" {
		return nil, &detailedError{urlAttr, attr + " is not an http or https URL", msg}
	}
	u, err := url.Parse(rawURL)
	if err != nil { // checkUploadURL parsed it
		return nil, &detailedError{urlAttr, attr + " is not an http or https URL", err.Error()}
	}
	data, err := download.Get(ctx, policy, rawURL, pkcs.MaxBundleSize, downloadTimeout)
	if err != nil {
		return nil, downloadProblem(urlAttr, attr, u, err)
	}

	got := pkcs.SHA256Hex(data)
	if !strings.EqualFold(got, wantHash) {
		return nil, &detailedError{hashAttr, "sha256_file_hash does not match the file at " + attr,
			fmt.Sprintf("sha256_file_hash:          %s\nSHA-256 of %s: %s\n\n"+
				"Graph would reject this upload. Set sha256_file_hash to the hash of the file you mean to upload "+
				"(filesha256(\"<file>.p7b\") or Get-FileHash), or publish that file at "+attr+".",
				strings.ToUpper(wantHash), safeURL(u), got)}
	}

	cas, err := c.ParseCertificateBundle(data) // once per process and file: the plan and the apply both ask
	if err != nil {
		return nil, &detailedError{urlAttr, "The file at " + attr + " is not a usable .p7b", bundleProblem(safeURL(u), err)}
	}
	return &bundle{SHA256: got, CAs: cas}, nil
}

func bundleProblem(where string, err error) string {
	return fmt.Sprintf("%s %s.\n\n(%v)", where, pkcs.BundleAdvice(err), err)
}

// downloadProblem is the diagnostic for a download of attr's URL u that failed.
func downloadProblem(urlAttr path.Path, attr string, u *url.URL, err error) error {
	var refused *refusedAddressError
	var tooLarge *download.TooLargeError
	var status *download.StatusError
	why := "The provider downloads the file before asking Graph to, to check sha256_file_hash and learn which " +
		"certificate authorities it holds. Make sure the URL is reachable from where Terraform runs (and from Microsoft Graph)."
	switch {
	case errors.As(err, &refused):
		return refusedInput(urlAttr, u, err)
	case errors.As(err, &tooLarge):
		return &detailedError{urlAttr, "The file at " + attr + " is too large",
			fmt.Sprintf("%s is larger than 2 MB, Graph's limit for a PKI upload. Split the certificate authorities "+
				"into several .p7b files, each with its own entracert_certificate_based_auth_pki_upload.", safeURL(u))}
	case errors.As(err, &status):
		return &detailedError{urlAttr, "Cannot download " + attr, fmt.Sprintf("GET %s answered %s.\n\n%s", safeURL(u), status.Status, why)}
	}
	return &detailedError{urlAttr, "Cannot download " + attr, fmt.Sprintf("GET %s failed: %v.\n\n%s", safeURL(u), err, why)}
}

// safeURL is u for logs and diagnostics, without what may carry a token (download.SafeURL).
func safeURL(u *url.URL) string { return download.SafeURL(u) }

func safeURLString(raw string) string { return download.SafeURLString(raw) }
