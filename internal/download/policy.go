// Package download fetches files the provider checks at plan time (a PKI upload's .p7b, a CA's CRL) from where
// Microsoft Entra would fetch them, and only from there: never from private, link-local, metadata or other addresses
// the internet cannot reach, on any redirect hop. Loopback is allowed only for a loopback Graph emulator.
package download

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Policy decides which addresses a download may connect to: only those Microsoft Graph could reach from the
// internet. The zero Policy refuses every loopback address. Each configured provider instance owns one
// (clients.Client.Downloads, made by ForGraphEndpoint); a Policy never changes once made, so concurrent downloads
// share it safely and one instance's loopback allowance never reaches another's.
type Policy struct {
	// AllowLoopback lets downloads connect to any loopback address (tests of a downloader against httptest servers).
	AllowLoopback bool
	// emulator holds the addresses of a loopback Graph emulator (ForGraphEndpoint), where it serves the test's
	// files: the only loopback addresses allowed when AllowLoopback is unset.
	emulator []netip.AddrPort
}

// ForGraphEndpoint is the policy of a provider whose graph_endpoint is endpoint. When that is a loopback emulator
// (localhost or a loopback IP), downloads may connect to its address and port, and to no other loopback address;
// otherwise to no loopback address at all.
func ForGraphEndpoint(endpoint string) Policy {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return Policy{}
	}
	port := defaultPort(u.Scheme)
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return Policy{}
		}
		port = uint16(n)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" {
		return Policy{emulator: []netip.AddrPort{
			netip.AddrPortFrom(netip.IPv6Loopback(), port),
			netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port),
		}}
	}
	if ip, ok := literalIP(host); ok && ip.Unmap().IsLoopback() {
		return Policy{emulator: []netip.AddrPort{netip.AddrPortFrom(ip.Unmap(), port)}}
	}
	return Policy{}
}

// allowsLoopback reports whether the policy lets a download connect to the loopback address addrPort.
func (p Policy) allowsLoopback(addrPort netip.AddrPort) bool {
	if p.AllowLoopback {
		return true
	}
	want := netip.AddrPortFrom(addrPort.Addr().Unmap(), addrPort.Port())
	for _, e := range p.emulator {
		if e == want {
			return true
		}
	}
	return false
}

func defaultPort(scheme string) uint16 {
	if scheme == "https" {
		return 443
	}
	return 80
}

// RefusedReason says why Graph could never reach ip ("" when it could).
func RefusedReason(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsLinkLocalUnicast():
		if ip == netip.MustParseAddr("169.254.169.254") {
			return "the link-local cloud metadata address"
		}
		return "a link-local address"
	case ip.IsPrivate():
		return "a private address"
	case netip.MustParsePrefix("100.64.0.0/10").Contains(ip):
		return "a carrier-grade NAT (100.64.0.0/10) address"
	case netip.MustParsePrefix("198.18.0.0/15").Contains(ip): // RFC 2544, not routed on the internet
		return "a benchmarking (198.18.0.0/15) address"
	case ip.IsUnspecified():
		return "the unspecified address"
	case ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case ip == netip.MustParseAddr("255.255.255.255"):
		return "the broadcast address"
	}
	return ""
}

// RefusedAddressError is a connection the policy refused before it was made.
type RefusedAddressError struct {
	Addr   netip.Addr
	Reason string
}

func (e *RefusedAddressError) Error() string {
	return fmt.Sprintf("%s is %s, which Microsoft Graph cannot reach", e.Addr, e.Reason)
}

// Allows reports whether the policy lets the download connect to addrPort: nil, or why not.
func (p Policy) Allows(addrPort netip.AddrPort) *RefusedAddressError {
	ip := addrPort.Addr().Unmap()
	reason := RefusedReason(ip)
	if reason == "" {
		return nil
	}
	if ip.IsLoopback() && p.allowsLoopback(addrPort) {
		return nil
	}
	return &RefusedAddressError{Addr: ip, Reason: reason}
}

// CheckLiteral refuses a URL whose host is an IP address the policy refuses, before anything is dialled. A host
// name is checked after resolution, at connect time (control).
func (p Policy) CheckLiteral(u *url.URL) *RefusedAddressError {
	ip, ok := literalIP(u.Hostname())
	if !ok {
		return nil
	}
	port := defaultPort(u.Scheme)
	if n, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		port = uint16(n)
	}
	return p.Allows(netip.AddrPortFrom(ip, port))
}

func literalIP(host string) (netip.Addr, bool) {
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return ip, err == nil
}

// control runs after DNS resolution, before connect: the address actually dialled is checked.
func (p Policy) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("unexpected address %q", address)
	}
	if refused := p.Allows(ap); refused != nil {
		return refused
	}
	return nil
}

// Client is an HTTP client, bounded by timeout, that connects only where p allows, on every redirect hop too. It
// uses no proxy: a proxy would connect on the provider's behalf to addresses this check cannot see.
func (p Policy) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: min(30*time.Second, timeout), Control: p.control}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   min(15*time.Second, timeout),
			ResponseHeaderTimeout: min(30*time.Second, timeout),
			MaxIdleConns:          1,
			IdleConnTimeout:       time.Second,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected to %q, which is not http or https", SafeURL(req.URL))
			}
			if refused := p.CheckLiteral(req.URL); refused != nil {
				return &RedirectRefusedError{To: req.URL, Err: refused}
			}
			return nil
		},
	}
}

// RedirectRefusedError is a redirect to an address the policy refuses.
type RedirectRefusedError struct {
	To  *url.URL
	Err *RefusedAddressError
}

func (e *RedirectRefusedError) Error() string {
	return "redirected to " + SafeURL(e.To) + ": " + e.Err.Error()
}
func (e *RedirectRefusedError) Unwrap() error { return e.Err }

// SafeURL is u for logs and diagnostics: without user info, query or fragment, which may carry a token (a SAS
// signature, for instance).
func SafeURL(u *url.URL) string {
	s := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	if u.RawQuery != "" {
		s += "?…"
	}
	return s
}

// SafeURLString is SafeURL of a URL not parsed yet.
func SafeURLString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(an unparsable URL)"
	}
	return SafeURL(u)
}
