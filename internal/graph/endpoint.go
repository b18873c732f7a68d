package graph

import (
	"errors"
	"net/url"
	"strings"
)

// CheckEndpoint is the one check of a Graph root (the provider's graph_endpoint, New's Endpoint): an absolute
// http(s) URL without user info, query, fragment or API version; plain http only to loopback hosts, so a bearer
// token never crosses a network in clear text. It returns the root without a trailing slash. Its errors never
// contain the value, which may carry a password ("https://user:secret@host").
func CheckEndpoint(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errors.New("it is not an absolute http(s) URL: give the Graph root, e.g. https://graph.microsoft.com or http://127.0.0.1:8080")
	}
	if u.User != nil {
		return "", errors.New("it holds user information (user:password@): give only the Graph root, e.g. https://graph.microsoft.com; " +
			"the provider authenticates with its credentials, never with the URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("it has a query or fragment: give only the Graph root, e.g. https://graph.microsoft.com")
	}
	p := strings.TrimRight(u.Path, "/")
	if lp := strings.ToLower(p); strings.HasSuffix(lp, "/v1.0") || strings.HasSuffix(lp, "/beta") {
		return "", errors.New("it includes the API version: give the Graph root without /v1.0 (the provider adds it)")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", errors.New("it uses plain http to a host that is not loopback: use https, or http only with 127.0.0.0/8, ::1 or localhost")
	}
	u.Path = p
	return u.String(), nil
}
