package download

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// StatusError is an answer other than 200 OK.
type StatusError struct{ Status string }

func (e *StatusError) Error() string { return "the server answered " + e.Status }

// TooLargeError is a body larger than the limit; the download stops at the limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the file is larger than %d bytes", e.Limit)
}

// Get downloads rawURL (http or https) under policy, reading at most limit bytes, within timeout. It is the one
// downloader of the provider's plan-time checks (a PKI upload's .p7b, CRLs). An address the policy refuses is never
// connected to: the error is then a *RefusedAddressError (wrapped in a *RedirectRefusedError when a redirect led
// there). An answer other than 200 OK is a *StatusError, a body over limit a *TooLargeError. Errors never show the
// URL's query.
func Get(ctx context.Context, policy Policy, rawURL string, limit int64, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%s is not a usable URL", SafeURLString(rawURL))
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, fmt.Errorf("%s is not an http or https URL", SafeURL(req.URL))
	}
	if refused := policy.CheckLiteral(req.URL); refused != nil {
		return nil, refused
	}
	resp, err := policy.Client(timeout).Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Status: resp.Status}
	}
	if resp.ContentLength > limit { // announced: no need to read it to know
		return nil, &TooLargeError{Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, unwrapURLError(err)
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return data, nil
}

// unwrapURLError drops net/http's "Get \"url\": " prefix, which would show the URL's query.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
